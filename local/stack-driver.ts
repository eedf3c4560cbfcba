import { QUEUE_NAMES } from '../shared/ports.js';
import { CrmUser } from './clients/crm-user.js';
import { OutlookUser } from './clients/outlook.js';
import type { RunningStack } from './stack.js';

/**
 * What drives a running stack from outside, as people and scripts would: Outlook and CRM
 * users, the public API, and "wait until everything was delivered". The demo, the end-to-end
 * tests and the benchmarks all use it.
 */
export interface StackDriver {
  outlook: OutlookUser;
  crmUser: CrmUser;
  /** Waits until both emulators delivered everything and both queues are empty, twice in a row. */
  settle(timeoutMs?: number, pollMs?: number): Promise<void>;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown; text: string }>;
}

export function driveStack(stack: RunningStack): StackDriver {
  const outlook = new OutlookUser({
    graphUrl: stack.graph.url,
    tenantId: stack.graph.tenantId,
    clientId: stack.graph.clientId,
    clientSecret: stack.graph.clientSecret,
  });
  const crmUser = new CrmUser({ baseUrl: stack.crm.url, token: stack.crm.token });

  const api: StackDriver['api'] = async (method, path, body) => {
    const response = await fetch(`${stack.host.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: response.status, json, text };
  };

  const settle: StackDriver['settle'] = async (timeoutMs = 30_000, pollMs = 100) => {
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    while (quiet < 2) {
      if (Date.now() > deadline) throw new Error(`the stack did not settle within ${timeoutMs} ms`);
      await Promise.all([stack.graph.admin.idle(), stack.crm.admin.idle()]);
      const pending = await Promise.all(QUEUE_NAMES.map((q) => stack.transport.pendingCount(q)));
      quiet = pending.every((n) => n === 0) ? quiet + 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };

  return { outlook, crmUser, api, settle };
}
