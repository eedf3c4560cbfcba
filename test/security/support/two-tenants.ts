import { randomUUID } from 'node:crypto';
import { signCrmEvent } from '../../../shared/adapters/crm/signature.js';
import type { TestStack } from '../../support/stack.js';
import type { FuzzContext, RealAccount } from './fuzz-case.js';
import type { RawRequest } from './raw-http.js';

/** Registers two V3 accounts (each with its own subscription and clientState) and reads them back. */
export async function registerTwoTenants(stack: TestStack): Promise<FuzzContext> {
  const accounts: RealAccount[] = [];
  for (const mail of [
    `tenant-a-${randomUUID().slice(0, 8)}@contoso.example`,
    `tenant-b-${randomUUID().slice(0, 8)}@fabrikam.example`,
  ]) {
    stack.graph.admin.createMailbox({ mail });
    const { id } = await stack.registerAccount({ email: mail, syncVersion: 'v3', provider: 'microsoft365' });
    const stored = await stack.runtime.deps.accounts.get(id);
    const subscription = stored?.value.subscription;
    if (!subscription) throw new Error(`account ${id} has no subscription after registering`);
    accounts.push({
      id,
      email: mail,
      subscriptionId: subscription.id,
      clientState: subscription.clientState,
    });
  }
  return { accounts, crmSecret: stack.env.CRM_WEBHOOK_SECRET ?? '', token: await stack.token('admin') };
}

/** The storage account key inside a connection string (the part of it that is secret). */
export function accountKeyOf(connectionString: string): string {
  return /AccountKey=([^;]+)/i.exec(connectionString)?.[1] ?? '';
}

/** Every configured secret of the stack and every clientState it registered: none may ever be echoed. */
export function stackSecrets(stack: TestStack): string[] {
  const values = [
    stack.env.GRAPH_CLIENT_SECRET,
    stack.env.CRM_TOKEN,
    stack.env.CRM_WEBHOOK_SECRET,
    stack.env.SERVICE_CLIENT_SECRET,
    stack.env.DEMO_AGENT_PASSWORD,
    stack.env.DEMO_ADMIN_PASSWORD,
    stack.env.DEMO_AGENT_TOKEN,
    stack.env.DEMO_ADMIN_TOKEN,
    stack.host.masterKey,
    accountKeyOf(stack.env.STORAGE_CONNECTION ?? ''),
    ...stack.graph.admin.subscriptions().map((s) => s.clientState),
  ];
  return values.filter((v): v is string => typeof v === 'string' && v.length >= 8);
}

/** A well-formed CRM event with a fresh, correct signature (the genuine request). */
export function signedValidEvent(secret: string, contactId: string = randomUUID()): RawRequest {
  const body = JSON.stringify({
    eventId: randomUUID(),
    type: 'contact.updated',
    contactId,
    version: 1,
    occurredAt: new Date().toISOString(),
  });
  const ts = Math.floor(Date.now() / 1000);
  return {
    method: 'POST',
    path: '/api/crm/events',
    headers: {
      'content-type': 'application/json',
      'x-crm-timestamp': String(ts),
      'x-crm-signature': signCrmEvent(secret, ts, body),
    },
    body,
  };
}
