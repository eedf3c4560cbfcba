/**
 * Sign-in and authorization for the API (DESIGN section 11; README "Who may do what").
 *
 * - {@link createAccessTokenValidator} → `validateAccessToken(token): Promise<Principal>`:
 *   validates an Entra ID access token for the app's own API (jose; RS256; issuer of the token's
 *   tenant; audience = the API's client id or app id URI; exp/nbf with 60 s skew; JWKS cached and
 *   re-read on an unknown kid). Throws a SyncError: kind `auth` with status 401 (bad token) or
 *   403 (valid token without the scope/role), kind `transient` 503 (authority unreachable).
 * - {@link canAccess}, {@link visibleAccounts}, {@link canRegister}, {@link canReadAudit},
 *   {@link visibleAuditTenant}: the rules as pure functions. A refused account is answered 404,
 *   exactly as one that does not exist.
 * - {@link bearerToken}, {@link bearerChallenge}: the HTTP header forms (RFC 6750).
 */
export { bearerChallenge, bearerToken } from './bearer.js';
export { type PrincipalPolicy, principalFromClaims, TENANT_GUID } from './claims.js';
export {
  API_SCOPE_NAME,
  describePrincipal,
  type Principal,
  type PrincipalKind,
  SERVICE_ROLE,
  TENANT_ADMIN_ROLE,
} from './principal.js';
export {
  type AccountOwner,
  canAccess,
  canReadAudit,
  canRegister,
  type RegistrationRequest,
  visibleAccounts,
  visibleAuditTenant,
} from './rules.js';
export {
  createAccessTokenValidator,
  type TokenValidatorOptions,
  type ValidateAccessToken,
} from './validate-token.js';
