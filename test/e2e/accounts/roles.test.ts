import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECOND_TENANT_ID } from '../../../local/emulators/graph/index.js';
import { userToken } from '../../../local/stack-identity.js';
import { startTestStack, type TestStack } from '../../support/stack.js';

/**
 * Who may do what (README's roles table), through the whole stack with real sign-ins: two
 * tenants; in tenant A two agents (Anna, Ben) and a tenant administrator; in tenant B one agent
 * (Bea); and the service caller, configured for tenant A only. Each sees exactly what the table
 * says; everything else answers the 404 of an account that does not exist.
 */
describe('roles: agents, tenant administrators and the service caller, across two tenants', () => {
  let stack: TestStack;
  const ben = {
    id: 'ben-0000-4000-8000-000000000002',
    mail: 'ben@immobilien-demo.example',
    password: 'Ben-Pass-0001',
  };
  const bea = {
    id: 'bea-0000-4000-8000-000000000003',
    mail: 'bea@fabrikam.example',
    password: 'Bea-Pass-00001',
  };
  const tokens: Record<'anna' | 'ben' | 'admin' | 'bea' | 'service', string> = {
    anna: '',
    ben: '',
    admin: '',
    bea: '',
    service: '',
  };
  const ids: Record<'anna' | 'ben' | 'bea' | 'crm', string> = { anna: '', ben: '', bea: '', crm: '' };

  const as = (who: keyof typeof tokens) => ({ as: { token: tokens[who] } });
  const list = async (who: keyof typeof tokens) => {
    const answer = await stack.api('GET', '/api/accounts', undefined, as(who));
    expect(answer.status, `${who}: ${answer.text}`).toBe(200);
    return (answer.json as { items: { id: string }[] }).items.map((a) => a.id).sort();
  };
  const register = async (who: keyof typeof tokens, body: Record<string, unknown>) =>
    stack.api('POST', '/api/accounts', { syncVersion: 'v2', ...body }, as(who));

  beforeAll(async () => {
    stack = await startTestStack();
    stack.graph.admin.createMailbox({ ...ben, tenantId: stack.graph.tenantId });
    stack.graph.admin.createMailbox({ ...bea, tenantId: SECOND_TENANT_ID });
    stack.graph.admin.createMailbox({
      mail: 'crm-managed@immobilien-demo.example',
      tenantId: stack.graph.tenantId,
    });
    tokens.anna = await stack.token('agent');
    tokens.admin = await stack.token('admin');
    tokens.service = await stack.token('service');
    tokens.ben = (await userToken(stack.graph, ben.mail, ben.password)).token;
    tokens.bea = (await userToken(stack.graph, bea.mail, bea.password)).token;

    // V2 accounts after the shutdown: registered and visible, but nothing syncs (no Graph traffic).
    const created = async (who: keyof typeof tokens, body: Record<string, unknown>) => {
      const answer = await register(who, body);
      expect(answer.status, `${who} registers: ${answer.text}`).toBe(201);
      return (answer.json as { id: string }).id;
    };
    ids.anna = await created('anna', { email: stack.users.agent.mail });
    ids.ben = await created('ben', { email: ben.mail });
    ids.bea = await created('bea', { email: bea.mail });
    ids.crm = await created('service', {
      email: 'crm-managed@immobilien-demo.example',
      tenantId: stack.graph.tenantId,
    });
  });
  afterAll(() => stack?.stop());

  it('lists for each caller exactly the accounts the table gives them', async () => {
    expect(await list('anna')).toEqual([ids.anna]);
    expect(await list('ben')).toEqual([ids.ben]);
    expect(await list('bea')).toEqual([ids.bea]);
    expect(await list('admin')).toEqual([ids.anna, ids.ben, ids.crm].sort());
    expect(await list('service')).toEqual([ids.anna, ids.ben, ids.crm].sort());
  });

  it('answers every route on an account the caller may not see with the 404 of a missing one', async () => {
    const forbidden: [keyof typeof tokens, string][] = [
      ['anna', ids.ben],
      ['anna', ids.bea],
      ['ben', ids.anna],
      ['bea', ids.anna],
      ['admin', ids.bea],
      ['service', ids.bea],
    ];
    const missing = await stack.api(
      'GET',
      '/api/accounts/00000000-0000-4000-8000-000000000000',
      undefined,
      as('anna'),
    );
    expect(missing.status).toBe(404);
    for (const [who, id] of forbidden) {
      for (const [method, path] of [
        ['GET', `/api/accounts/${id}`],
        ['GET', `/api/accounts/${id}/contacts.csv`],
        ['POST', `/api/accounts/${id}/migrate`],
        ['POST', `/api/accounts/${id}/confirm-deletes`],
        ['POST', `/api/accounts/${id}/reject-deletes`],
      ] as const) {
        const answer = await stack.api(method, path, method === 'POST' ? {} : undefined, as(who));
        expect({ who, path, status: answer.status }).toEqual({ who, path, status: 404 });
        expect(answer.text).toBe(missing.text);
      }
    }
  });

  it('lets each caller act on what it may see', async () => {
    for (const [who, id] of [
      ['anna', ids.anna],
      ['admin', ids.ben],
      ['service', ids.crm],
      ['bea', ids.bea],
    ] as const) {
      expect((await stack.api('GET', `/api/accounts/${id}`, undefined, as(who))).status, who).toBe(200);
      const csv = await stack.api('GET', `/api/accounts/${id}/contacts.csv`, undefined, as(who));
      expect(csv.status, who).toBe(200);
      for (const decision of ['confirm-deletes', 'reject-deletes']) {
        const held = await stack.api('POST', `/api/accounts/${id}/${decision}`, {}, as(who));
        expect(held.json, `${who} ${decision}`).toMatchObject({ error: { code: 'NothingHeld' } });
      }
    }
  });

  it('registers only what the table allows', async () => {
    // An agent registers only their own mailbox, in their own tenant.
    expect((await register('anna', { email: ben.mail.replace('ben', 'ben2') })).status).toBe(404);
    expect((await register('anna', { email: 'x@fabrikam.example', tenantId: SECOND_TENANT_ID })).status).toBe(
      404,
    );
    // A tenant administrator registers in their tenant only.
    expect(
      (await register('admin', { email: 'y@fabrikam.example', tenantId: SECOND_TENANT_ID })).status,
    ).toBe(404);
    // The service caller must name one of its tenants.
    expect(
      (await register('service', { email: 'z@fabrikam.example', tenantId: SECOND_TENANT_ID })).status,
    ).toBe(404);
    expect((await register('service', { email: 'z@immobilien-demo.example' })).status).toBe(404);
    // A duplicate in another tenant does not name that tenant's account.
    const duplicate = await register('admin', { email: bea.mail });
    expect(duplicate.status).toBe(409);
    expect(duplicate.text).not.toContain(ids.bea);
    expect(await list('admin')).toEqual([ids.anna, ids.ben, ids.crm].sort());
  });

  it('shows the audit log to administrators of the tenant only: who, tenant, account, when, outcome', async () => {
    expect((await stack.api('GET', '/api/audit', undefined, as('anna'))).status).toBe(403);
    const read = async (who: 'admin' | 'service') => {
      const answer = await stack.api('GET', '/api/audit?limit=500', undefined, as(who));
      expect(answer.status, answer.text).toBe(200);
      return (answer.json as { items: Record<string, string | null>[] }).items;
    };
    const entries = await read('admin');
    expect(entries.every((e) => e.tenantId === stack.graph.tenantId)).toBe(true);
    expect(entries.some((e) => e.accountId === ids.bea)).toBe(false);
    expect(entries).toContainEqual(
      expect.objectContaining({
        action: 'register',
        accountId: ids.anna,
        actor: `agent:${stack.users.agent.mail}@${stack.graph.tenantId}`,
        actorKind: 'agent',
        outcome: 'ok',
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ action: 'export', accountId: ids.ben, actorKind: 'tenantAdmin' }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ action: 'confirmDeletes', outcome: 'nothingHeld' }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ action: 'rejectDeletes', outcome: 'nothingHeld' }),
    );
    expect(entries).toContainEqual(expect.objectContaining({ action: 'register', outcome: 'refused' }));
    const ats = entries.map((e) => e.at ?? '');
    expect(ats).toEqual([...ats].sort().reverse());
    expect((await read('service')).every((e) => e.tenantId === stack.graph.tenantId)).toBe(true);
  });

  it('writes no token or password into any log line of the run', () => {
    const secrets = [...Object.values(tokens).map((t) => t.split('.')[2] ?? ''), ben.password, bea.password];
    secrets.push(
      stack.users.agent.password,
      stack.users.admin.password,
      stack.env.SERVICE_CLIENT_SECRET ?? '',
    );
    expect(stack.logs.length).toBeGreaterThan(0);
    for (const line of stack.logs)
      for (const secret of secrets.filter((s) => s.length >= 12))
        expect(line.includes(secret), line.slice(0, 120)).toBe(false);
  });
});
