import { QUEUE_NAMES } from '../shared/ports.js';
import { CrmUser } from './clients/crm-user.js';
import { OutlookUser } from './clients/outlook.js';
import type { RunningStack } from './stack.js';
import { addUsers, type IssuedToken, serviceToken, userToken } from './stack-identity.js';

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
  /**
   * Calls the function app's API with a bearer token: the demo tenant administrator's unless
   * `as` names another caller (`agent`, `service`), a token of one's own, or `null` for none.
   */
  api(
    method: string,
    path: string,
    body?: unknown,
    options?: { as?: Caller; headers?: Record<string, string> },
  ): Promise<{ status: number; json: unknown; text: string }>;
  /** A current access token for the API (cached, renewed before it expires). */
  token(caller?: Exclude<Caller, null | { token: string }>): Promise<string>;
  /** POST /admin/functions/{name} with the host's master key: runs a timer function now. */
  runTimer(name: string): Promise<void>;
}

export type Caller = 'admin' | 'agent' | 'service' | { token: string } | null;

export function driveStack(stack: RunningStack): StackDriver {
  const outlook = new OutlookUser({
    graphUrl: stack.graph.url,
    tenantId: stack.graph.tenantId,
    clientId: stack.graph.clientId,
    clientSecret: stack.graph.clientSecret,
  });
  const crmUser = new CrmUser({ baseUrl: stack.crm.url, token: stack.crm.token });

  const cached = new Map<string, IssuedToken>();
  const token: StackDriver['token'] = async (caller = 'admin') => {
    const held = cached.get(caller);
    if (held && held.expiresAt - Date.now() > 5 * 60_000) return held.token;
    const user = caller === 'agent' ? stack.users.agent : stack.users.admin;
    // A test may have reset the emulator: the demo users come back as they were.
    if (caller !== 'service') addUsers(stack.graph, [user]);
    const issued =
      caller === 'service'
        ? await serviceToken(stack.graph)
        : await userToken(stack.graph, user.mail, user.password);
    cached.set(caller, issued);
    return issued.token;
  };

  const api: StackDriver['api'] = async (method, path, body, options = {}) => {
    const caller = options.as === undefined ? 'admin' : options.as;
    const bearer = caller === null ? null : typeof caller === 'object' ? caller.token : await token(caller);
    const response = await fetch(`${stack.host.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...options.headers,
      },
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

  const runTimer: StackDriver['runTimer'] = async (name) => {
    const response = await fetch(`${stack.host.url}/admin/functions/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'x-functions-key': stack.host.masterKey },
    });
    if (response.status !== 202)
      throw new Error(`running ${name} failed: ${response.status} ${await response.text()}`);
  };

  return { outlook, crmUser, api, settle, token, runTimer };
}
