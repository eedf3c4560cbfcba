/**
 * Who is calling the API, as read from a validated Entra ID access token (DESIGN section 11).
 *
 * - `agent`: a delegated token with the API's scope; acts on their own accounts only.
 * - `tenantAdmin`: a delegated token whose user holds the app role `Sync.TenantAdmin` in their
 *   tenant's enterprise app; acts on every account of that tenant (`tid`).
 * - `service`: a client-credentials token of the home tenant holding the app role `Sync.Admin`
 *   (the CRM backend); acts on the accounts of the tenants configured for it.
 */
export type PrincipalKind = 'agent' | 'tenantAdmin' | 'service';

export interface Principal {
  kind: PrincipalKind;
  /** The token's `tid`: the tenant that issued it. */
  tenantId: string;
  /** The token's `oid`: the user's (or the service principal's) object id. */
  objectId: string;
  /** `preferred_username` (or `upn`) of a user; the client app id (`azp`) of a service caller. */
  username: string;
  /** `name` of a user; the client app id of a service caller. */
  name: string;
  /** Service callers only: the tenants whose accounts it manages (`*` = every tenant). */
  tenants?: readonly string[];
}

/** The delegated scope a user token must carry: `api://{API app id}/access_as_user`. */
export const API_SCOPE_NAME = 'access_as_user';
export const TENANT_ADMIN_ROLE = 'Sync.TenantAdmin';
export const SERVICE_ROLE = 'Sync.Admin';

/** What the audit log names a principal by: kind, tenant and sign-in name, never a token. */
export function describePrincipal(principal: Principal): string {
  return `${principal.kind}:${principal.username}@${principal.tenantId}`;
}
