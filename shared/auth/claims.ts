import { z } from 'zod';
import { API_SCOPE_NAME, type Principal, SERVICE_ROLE, TENANT_ADMIN_ROLE } from './principal.js';

/**
 * From the claims of a token whose signature, issuer, audience and lifetime were checked, to
 * the principal it stands for — or why it may not call the API. Pure.
 * Claims: learn.microsoft.com/entra/identity-platform/access-token-claims-reference
 * (`scp` only in delegated tokens; app-only tokens carry `roles` and, with the optional claim,
 * `idtyp: "app"`; "check that oid equals sub" is the other app-only marker).
 */
export interface PrincipalPolicy {
  /** The tenant of the app registration: service callers' tokens must come from it. */
  homeTenantId: string;
  /** Tenants a service caller manages (from configuration; `*` = all). */
  serviceTenants: readonly string[];
}

/** A tenant id as Entra puts it in `tid`: a GUID. */
export const TENANT_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Personal Microsoft accounts' tenant: not an organisation, never a caller of this API. */
const CONSUMER_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

const claimsSchema = z.object({
  tid: z.string().regex(TENANT_GUID),
  oid: z.string().min(1).max(128),
  sub: z.string().max(256).optional(),
  scp: z.string().max(4096).optional(),
  roles: z.array(z.string().max(256)).max(100).optional(),
  idtyp: z.string().max(16).optional(),
  azp: z.string().max(256).optional(),
  appid: z.string().max(256).optional(),
  preferred_username: z.string().max(320).optional(),
  upn: z.string().max(320).optional(),
  name: z.string().max(512).optional(),
});

export type Refusal = {
  status: 401 | 403;
  error: 'invalid_token' | 'insufficient_scope';
  description: string;
};

export function principalFromClaims(
  claims: Record<string, unknown>,
  policy: PrincipalPolicy,
): { ok: true; principal: Principal } | ({ ok: false } & Refusal) {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) return refuse(401, 'invalid_token', 'the token lacks the claims tid and oid');
  const c = parsed.data;
  if (c.tid.toLowerCase() === CONSUMER_TENANT) {
    return refuse(401, 'invalid_token', 'personal Microsoft accounts cannot use this API');
  }
  const roles = c.roles ?? [];
  const scopes = (c.scp ?? '').split(' ').filter(Boolean);
  const appOnly = c.scp === undefined && (c.idtyp === 'app' || c.idtyp === undefined);
  if (appOnly) {
    const client = c.azp ?? c.appid ?? c.oid;
    if (!roles.includes(SERVICE_ROLE) || c.tid.toLowerCase() !== policy.homeTenantId.toLowerCase()) {
      return refuse(
        403,
        'insufficient_scope',
        `an app token needs the ${SERVICE_ROLE} role of the home tenant`,
      );
    }
    return {
      ok: true,
      principal: {
        kind: 'service',
        tenantId: c.tid,
        objectId: c.oid,
        username: client,
        name: client,
        tenants: policy.serviceTenants,
      },
    };
  }
  if (!scopes.includes(API_SCOPE_NAME)) {
    return refuse(403, 'insufficient_scope', `a user token needs the scope ${API_SCOPE_NAME}`);
  }
  const username = c.preferred_username ?? c.upn ?? '';
  return {
    ok: true,
    principal: {
      kind: roles.includes(TENANT_ADMIN_ROLE) ? 'tenantAdmin' : 'agent',
      tenantId: c.tid,
      objectId: c.oid,
      username,
      name: c.name ?? username,
    },
  };
}

function refuse(status: 401 | 403, error: Refusal['error'], description: string): { ok: false } & Refusal {
  return { ok: false, status, error, description };
}
