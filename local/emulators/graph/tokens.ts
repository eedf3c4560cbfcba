import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Caller } from './context.js';

/**
 * Access tokens are JWTs (as Entra's are) signed with a key that lives only in this process,
 * so Graph routes accept exactly the tokens this emulator issued and nothing else.
 */
const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
export const TOKEN_LIFETIME_SECONDS = 3599;

export class TokenIssuer {
  private readonly key = randomBytes(32);

  constructor(private readonly origin: string) {}

  issue(tenantId: string, appId: string, now: Date): string {
    const iat = Math.floor(now.getTime() / 1000);
    const header = { typ: 'JWT', alg: 'HS256' };
    const claims = {
      aud: GRAPH_AUDIENCE,
      iss: `${this.origin}/${tenantId}/v2.0`,
      iat,
      nbf: iat,
      exp: iat + TOKEN_LIFETIME_SECONDS,
      appid: appId,
      tid: tenantId,
      roles: ['Contacts.ReadWrite'],
      oid: crypto.randomUUID(),
    };
    const unsigned = `${b64(header)}.${b64(claims)}`;
    return `${unsigned}.${this.sign(unsigned)}`;
  }

  /** The caller a token stands for, or a reason it is not acceptable. */
  verify(token: string, now: Date): Caller | { reason: string } {
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature) return { reason: 'IDX14100: JWT is not well formed.' };
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return { reason: 'Access token validation failure. Invalid signature.' };
    }
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (claims['aud'] !== GRAPH_AUDIENCE)
      return { reason: 'Access token validation failure. Invalid audience.' };
    if (typeof claims['exp'] !== 'number' || claims['exp'] * 1000 <= now.getTime()) {
      return { reason: 'Lifetime validation failed, the token is expired.' };
    }
    return { tenantId: String(claims['tid']), appId: String(claims['appid']) };
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
