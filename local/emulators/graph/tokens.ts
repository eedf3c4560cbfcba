import { createHash, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import type { Caller } from './context.js';

/**
 * Access and ID tokens are JWTs signed RS256 with a key that lives only in this process, as
 * Entra signs with keys it publishes at `{authority}/{tenant}/discovery/v2.0/keys`
 * (learn.microsoft.com/entra/identity-platform/access-tokens, "Validate tokens"). The same
 * key signs the Graph tokens (checked here) and the tokens for the app's own API (checked by
 * the product against the published JWKS, exactly as in production).
 */
const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
export const TOKEN_LIFETIME_SECONDS = 3599;

export type Claims = Record<string, unknown>;

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

function newKey(): SigningKey {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = pair.publicKey.export({ type: 'spki', format: 'der' });
  // Entra's `kid` (and `x5t`) is a base64url thumbprint; any stable opaque string works.
  return { ...pair, kid: createHash('sha1').update(der).digest('base64url') };
}

export class TokenIssuer {
  /** Newest first: the first signs; the others stay published, as Entra keeps a rotated key a while. */
  private keys: SigningKey[] = [newKey()];

  constructor(private readonly origin: string) {}

  get kid(): string {
    return this.current.kid;
  }

  private get current(): SigningKey {
    return this.keys[0] as SigningKey;
  }

  /**
   * Signing-key rollover ("Signing key rollover in the Microsoft identity platform"): a new key
   * signs from now on, the previous one stays in the JWKS so tokens signed with it stay valid.
   */
  rotate(): void {
    this.keys = [newKey(), ...this.keys].slice(0, 2);
  }

  /** The JWKS document, shaped like Entra's (`kty`, `use`, `kid`, `x5t`, `n`, `e`, `issuer`). */
  jwks(tenant: string): { keys: Record<string, unknown>[] } {
    const issuer = `${this.origin}/${tenant === 'common' || tenant === 'organizations' ? '{tenantid}' : tenant}/v2.0`;
    return {
      keys: this.keys.map((key) => {
        const jwk = key.publicKey.export({ format: 'jwk' });
        return { kty: 'RSA', use: 'sig', kid: key.kid, x5t: key.kid, n: jwk.n, e: jwk.e, issuer };
      }),
    };
  }

  /** Signs any claims with the published key (header `typ`, `alg: RS256`, `kid`). */
  sign(claims: Claims, header: Record<string, unknown> = {}): string {
    const head = { typ: 'JWT', alg: 'RS256', kid: this.kid, ...header };
    const unsigned = `${b64(head)}.${b64(claims)}`;
    return `${unsigned}.${sign('sha256', Buffer.from(unsigned), this.current.privateKey).toString('base64url')}`;
  }

  /** The standard time and issuer claims of a token issued now by `tenantId`. */
  baseClaims(tenantId: string, now: Date): Claims {
    const iat = Math.floor(now.getTime() / 1000);
    return {
      iss: `${this.origin}/${tenantId}/v2.0`,
      iat,
      nbf: iat,
      exp: iat + TOKEN_LIFETIME_SECONDS,
      tid: tenantId,
      ver: '2.0',
      uti: crypto.randomUUID().replaceAll('-', ''),
    };
  }

  /** An app-only Graph token (client credentials, `https://graph.microsoft.com/.default`). */
  issue(tenantId: string, appId: string, now: Date): string {
    return this.sign({
      ...this.baseClaims(tenantId, now),
      aud: GRAPH_AUDIENCE,
      appid: appId,
      azp: appId,
      idtyp: 'app',
      roles: ['Contacts.ReadWrite'],
      oid: crypto.randomUUID(),
    });
  }

  /** The caller a Graph token stands for, or a reason it is not acceptable. */
  verify(token: string, now: Date): Caller | { reason: string } {
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature) return { reason: 'IDX14100: JWT is not well formed.' };
    const head = parse(header);
    const key = this.keys.find((k) => k.kid === head?.['kid']);
    if (head?.['alg'] !== 'RS256' || !key) {
      return { reason: 'Access token validation failure. Invalid signature.' };
    }
    const valid = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      key.publicKey,
      Buffer.from(signature, 'base64url'),
    );
    if (!valid) return { reason: 'Access token validation failure. Invalid signature.' };
    const claims = parse(payload) ?? {};
    if (claims['aud'] !== GRAPH_AUDIENCE)
      return { reason: 'Access token validation failure. Invalid audience.' };
    if (typeof claims['exp'] !== 'number' || claims['exp'] * 1000 <= now.getTime()) {
      return { reason: 'Lifetime validation failed, the token is expired.' };
    }
    return { tenantId: String(claims['tid']), appId: String(claims['appid']) };
  }

  /** The public key in PEM form (tests sign forged HS256 tokens with it). */
  publicKeyPem(): string {
    return this.current.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function parse(part: string): Claims | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? (value as Claims) : null;
  } catch {
    return null;
  }
}
