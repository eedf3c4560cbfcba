import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { SyncError } from '../errors.js';
import { type PrincipalPolicy, principalFromClaims, TENANT_GUID } from './claims.js';
import type { Principal } from './principal.js';

/**
 * Validates an Entra ID access token for the app's own API with `jose`, the way
 * Microsoft.Identity.Web does for a multi-tenant API
 * (learn.microsoft.com/entra/identity-platform/access-tokens, "Validate tokens"):
 * - keys from the `jwks_uri` of the authority's OpenID metadata, cached, fetched again when a
 *   token names an unknown `kid` (jose's remote JWKS, with a cooldown so junk kids cannot
 *   make us hammer the authority);
 * - RS256 only (so `alg: none` and HS256 "signed" with the public key never pass);
 * - the issuer of the token's own tenant: the metadata of `organizations` has the issuer
 *   template `https://login.microsoftonline.com/{tenantid}/v2.0`, filled with `tid`;
 * - the audience: the API's client id (v2 tokens) or its app id URI (v1 tokens);
 * - `exp`/`nbf` with a small clock skew.
 * Failures throw a SyncError of kind `auth` (status 401, or 403 for a valid token that lacks
 * the scope or role) whose message names the reason, never the token; an authority that
 * cannot be reached throws `transient` (503).
 */
export interface TokenValidatorOptions extends PrincipalPolicy {
  /** e.g. https://login.microsoftonline.com (the emulator's origin locally). */
  authorityHost: string;
  /** The API's client id and app id URI. */
  audiences: readonly string[];
  /** Allowed clock difference in seconds (default 60). */
  clockSkewSeconds?: number;
  /**
   * Least time between two JWKS fetches (default 30 s, jose's): a token naming an unknown kid
   * makes the keys be read again at most this often, so forged kids cannot flood the authority.
   */
  jwksCooldownMs?: number;
  now?: () => Date;
}

export type ValidateAccessToken = (token: string) => Promise<Principal>;

interface Metadata {
  issuer: string;
  jwks: ReturnType<typeof createRemoteJWKSet>;
}

/** Longest token we read at all; Entra's are 1–3 KB. */
const MAX_TOKEN_LENGTH = 16 * 1024;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function createAccessTokenValidator(options: TokenValidatorOptions): ValidateAccessToken {
  const authority = options.authorityHost.replace(/\/+$/, '');
  const now = options.now ?? (() => new Date());
  let metadata: Promise<Metadata> | undefined;
  const loadMetadata = () => {
    metadata ??= fetchMetadata(authority, options.jwksCooldownMs ?? 30_000).catch((error: unknown) => {
      metadata = undefined; // a failed fetch is retried on the next request
      throw error;
    });
    return metadata;
  };

  return async (token) => {
    if (token.length > MAX_TOKEN_LENGTH || !JWT_SHAPE.test(token)) throw invalid('the token is not a JWT');
    let tid: unknown;
    try {
      if (decodeProtectedHeader(token).alg !== 'RS256') throw invalid('the token is not signed with RS256');
      tid = decodeJwt(token).tid;
    } catch (error) {
      if (error instanceof SyncError) throw error;
      throw invalid('the token is not a JWT');
    }
    if (typeof tid !== 'string' || !TENANT_GUID.test(tid)) throw invalid('the token names no tenant');
    const { issuer, jwks } = await loadMetadata();
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        algorithms: ['RS256'],
        issuer: issuer.replace('{tenantid}', tid),
        audience: [...options.audiences],
        clockTolerance: options.clockSkewSeconds ?? 60,
        currentDate: now(),
        requiredClaims: ['exp', 'iat', 'tid', 'oid'],
      }));
    } catch (error) {
      throw fromJose(error);
    }
    // The signature covers `tid`; the issuer we checked was built from it, so they agree.
    const result = principalFromClaims(payload, options);
    if (!result.ok) throw new SyncError('auth', result.error, result.description, { status: result.status });
    return result.principal;
  };
}

async function fetchMetadata(authority: string, cooldownDuration: number): Promise<Metadata> {
  let body: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const response = await fetch(`${authority}/organizations/v2.0/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`status ${response.status}`);
    body = (await response.json()) as typeof body;
  } catch (error) {
    throw new SyncError(
      'transient',
      'AuthorityUnavailable',
      `the OpenID metadata could not be read (${String(error)})`,
      {
        status: 503,
        cause: error,
      },
    );
  }
  if (typeof body.issuer !== 'string' || typeof body.jwks_uri !== 'string') {
    throw new SyncError('transient', 'AuthorityUnavailable', 'the OpenID metadata lacks issuer or jwks_uri', {
      status: 503,
    });
  }
  return {
    issuer: body.issuer,
    jwks: createRemoteJWKSet(new URL(body.jwks_uri), {
      cooldownDuration,
      cacheMaxAge: 24 * 3600_000,
    }),
  };
}

const invalid = (reason: string) => new SyncError('auth', 'invalid_token', reason, { status: 401 });

function fromJose(error: unknown): SyncError {
  if (error instanceof errors.JWTExpired) return invalid('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const reasons: Record<string, string> = {
      iss: 'the token was not issued by its tenant',
      aud: 'the token is not for this API',
      nbf: 'the token is not valid yet',
      iat: 'the token has no valid issue time',
    };
    return invalid(reasons[error.claim] ?? `the token's ${error.claim} claim is not acceptable`);
  }
  if (error instanceof errors.JWKSNoMatchingKey) return invalid('the token is signed with an unknown key');
  if (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error instanceof TypeError
  ) {
    return new SyncError('transient', 'AuthorityUnavailable', 'the signing keys could not be read', {
      status: 503,
      cause: error,
    });
  }
  if (error instanceof errors.JOSEError) return invalid('the token signature is not valid');
  return invalid('the token is not valid');
}
