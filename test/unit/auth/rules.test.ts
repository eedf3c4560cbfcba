import { describe, expect, it } from 'vitest';
import {
  canAccess,
  canReadAudit,
  canRegister,
  type Principal,
  principalFromClaims,
  visibleAccounts,
} from '../../../shared/auth/index.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const HOME = '33333333-3333-4333-8333-333333333333';

const agent: Principal = {
  kind: 'agent',
  tenantId: A,
  objectId: 'oid-anna',
  username: 'anna@a.test',
  name: 'Anna',
};
const admin: Principal = {
  kind: 'tenantAdmin',
  tenantId: A,
  objectId: 'oid-adm',
  username: 'adm@a.test',
  name: 'Adm',
};
const service: Principal = {
  kind: 'service',
  tenantId: HOME,
  objectId: 'sp',
  username: 'crm',
  name: 'crm',
  tenants: [A],
};

const annas = { tenantId: A, userId: 'oid-anna', email: 'other-alias@a.test' };
const annasByMail = { tenantId: A, userId: 'ANNA@a.test', email: 'Anna@A.test' };
const bens = { tenantId: A, userId: 'oid-ben', email: 'ben@a.test' };
const foreign = { tenantId: B, userId: 'oid-anna', email: 'anna@a.test' };
const tenantless = { tenantId: null, userId: 'oid-anna', email: 'anna@a.test' };

describe('canAccess: the roles table', () => {
  it('an agent sees their own accounts (by oid or by sign-in name), no one else’s', () => {
    expect([annas, annasByMail, bens, foreign, tenantless].map((a) => canAccess(agent, a))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('a tenant admin sees every account of their tenant and none of another', () => {
    expect([annas, bens, foreign, tenantless].map((a) => canAccess(admin, a))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('a service caller sees exactly its configured tenants; * means all with a tenant', () => {
    expect([annas, bens, foreign, tenantless].map((a) => canAccess(service, a))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    const all = { ...service, tenants: ['*'] };
    expect([annas, foreign, tenantless].map((a) => canAccess(all, a))).toEqual([true, true, false]);
  });

  it('visibleAccounts filters with the same rule', () => {
    expect(visibleAccounts(agent, [annas, bens, foreign])).toEqual([annas]);
  });
});

describe('canRegister', () => {
  it('an agent registers only their own mailbox, in their own tenant', () => {
    expect(canRegister(agent, { email: 'ANNA@a.test' })).toEqual({
      ok: true,
      tenantId: A,
      userId: 'oid-anna',
    });
    expect(canRegister(agent, { email: 'ben@a.test' }).ok).toBe(false);
    expect(canRegister(agent, { email: 'anna@a.test', tenantId: B }).ok).toBe(false);
    expect(canRegister(agent, { email: 'anna@a.test', userId: 'oid-ben' }).ok).toBe(false);
  });

  it('a tenant admin registers any mailbox of their tenant', () => {
    expect(canRegister(admin, { email: 'ben@a.test' })).toEqual({
      ok: true,
      tenantId: A,
      userId: 'ben@a.test',
    });
    expect(canRegister(admin, { email: 'ben@a.test', tenantId: B }).ok).toBe(false);
  });

  it('a service caller must name one of its tenants', () => {
    expect(canRegister(service, { email: 'x@a.test', tenantId: A }).ok).toBe(true);
    expect(canRegister(service, { email: 'x@b.test', tenantId: B }).ok).toBe(false);
    expect(canRegister(service, { email: 'x@a.test' }).ok).toBe(false);
  });
});

describe('principalFromClaims', () => {
  const policy = { homeTenantId: HOME, serviceTenants: [A] };

  it('reads agents, tenant admins and service callers', () => {
    const user = { tid: A, oid: 'o', scp: 'access_as_user', preferred_username: 'u@a.test', name: 'U' };
    expect(principalFromClaims(user, policy)).toMatchObject({ ok: true, principal: { kind: 'agent' } });
    expect(principalFromClaims({ ...user, roles: ['Sync.TenantAdmin'] }, policy)).toMatchObject({
      principal: { kind: 'tenantAdmin' },
    });
    const app = { tid: HOME, oid: 'sp', sub: 'sp', idtyp: 'app', azp: 'crm', roles: ['Sync.Admin'] };
    expect(principalFromClaims(app, policy)).toMatchObject({ principal: { kind: 'service', tenants: [A] } });
  });

  it('refuses a user token without the scope, and an app token of another tenant or without the role', () => {
    expect(principalFromClaims({ tid: A, oid: 'o', scp: 'User.Read' }, policy)).toMatchObject({
      ok: false,
      status: 403,
    });
    const app = { tid: A, oid: 'sp', idtyp: 'app', roles: ['Sync.Admin'] };
    expect(principalFromClaims(app, policy)).toMatchObject({ ok: false, status: 403 });
    expect(principalFromClaims({ ...app, tid: HOME, roles: [] }, policy)).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(principalFromClaims({ oid: 'o', scp: 'access_as_user' }, policy)).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it('only administrators read the audit log', () => {
    expect([agent, admin, service].map(canReadAudit)).toEqual([false, true, true]);
  });
});
