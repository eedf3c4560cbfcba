import { randomBytes } from 'node:crypto';
import type { RunningGraphEmulator } from './emulators/graph/index.js';

/**
 * The local stack's people: the demo agent (whose mailbox the demo syncs) and the demo tenant
 * administrator, users of the Graph emulator's default tenant with passwords, and the tokens
 * they and the service caller get from its token endpoint, exactly as from Entra ID.
 * Passwords are new on every start; `npm start` prints them (and ready tokens) as KEY=value.
 */
export interface DemoUser {
  id: string;
  mail: string;
  displayName: string;
  password: string;
  roles: string[];
}

export const DEMO_AGENT_MAIL = 'anna.makler@immobilien-demo.example';
export const DEMO_ADMIN_MAIL = 'it-admin@immobilien-demo.example';

export function demoUsers(): { agent: DemoUser; admin: DemoUser } {
  const password = () => `Demo-${randomBytes(9).toString('base64url')}`;
  return {
    agent: {
      id: '8d0f6a2e-4b7c-4e13-9a5d-2c1b0e9f7a31',
      mail: DEMO_AGENT_MAIL,
      displayName: 'Anna Makler',
      password: password(),
      roles: [],
    },
    admin: {
      id: '5e2c9b14-7a3d-4f60-8b1e-9d4a6c0f2e87',
      mail: DEMO_ADMIN_MAIL,
      displayName: 'IT-Administration',
      password: password(),
      roles: ['Sync.TenantAdmin'],
    },
  };
}

/** Creates the users (each is a mailbox of the default tenant) unless they exist. */
export function addUsers(graph: RunningGraphEmulator, users: readonly DemoUser[]): void {
  const existing = new Set(graph.admin.mailboxes().map((m) => m.mail.toLowerCase()));
  for (const user of users) {
    if (existing.has(user.mail.toLowerCase())) continue;
    graph.admin.createMailbox({ ...user, tenantId: graph.tenantId });
  }
}

export interface IssuedToken {
  token: string;
  expiresAt: number;
}

async function tokenRequest(graph: RunningGraphEmulator, tenant: string, form: Record<string, string>) {
  const response = await fetch(`${graph.authorityHost}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as {
    access_token?: string;
    expires_in?: number;
    error_codes?: number[];
  };
  if (!response.ok || !body.access_token) {
    // The error code only: the form holds a password or secret.
    throw new Error(`token request failed: ${response.status} AADSTS${body.error_codes?.[0] ?? '?'}`);
  }
  return { token: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3599) * 1000 };
}

/** A user's access token for the API (the password grant, as a script would). */
export function userToken(
  graph: RunningGraphEmulator,
  login: string,
  password: string,
): Promise<IssuedToken> {
  return tokenRequest(graph, 'organizations', {
    grant_type: 'password',
    client_id: graph.webClientId,
    username: login,
    password,
    scope: graph.apiScope,
  });
}

/** The service caller's (CRM backend's) token: client credentials with the Sync.Admin role. */
export function serviceToken(graph: RunningGraphEmulator): Promise<IssuedToken> {
  return tokenRequest(graph, graph.tenantId, {
    grant_type: 'client_credentials',
    client_id: graph.serviceClientId,
    client_secret: graph.serviceClientSecret,
    scope: `api://${graph.apiClientId}/.default`,
  });
}
