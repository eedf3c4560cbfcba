import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type RunningGraphEmulator,
  SECOND_TENANT_ID,
  startGraphEmulator,
} from '../../../local/emulators/graph/index.js';
import { createAccessTokenValidator, type ValidateAccessToken } from '../../../shared/auth/index.js';
import { isSyncError } from '../../../shared/errors.js';

/**
 * The product's token validation against the emulator's published metadata and keys, with the
 * forged and broken tokens of issue 15's fuzz list. Token rules:
 * learn.microsoft.com/entra/identity-platform/access-tokens ("Validate tokens").
 */
let emulator: RunningGraphEmulator;
let validate: ValidateAccessToken;
const agent = { id: 'u-anna', mail: 'anna@contoso.test', password: 'Anna-Pass-1' };

beforeAll(async () => {
  emulator = await startGraphEmulator({ tlsDir: inject('tlsDir') });
  emulator.admin.createMailbox({ ...agent, tenantId: emulator.tenantId });
  emulator.admin.createMailbox({
    mail: 'boss@contoso.test',
    password: 'Boss-Pass-1',
    roles: ['Sync.TenantAdmin'],
  });
  emulator.admin.createMailbox({
    mail: 'otto@fabrikam.test',
    password: 'Otto-Pass-1',
    tenantId: SECOND_TENANT_ID,
  });
  validate = createAccessTokenValidator({
    authorityHost: emulator.authorityHost,
    audiences: [emulator.apiClientId, `api://${emulator.apiClientId}`],
    homeTenantId: emulator.tenantId,
    serviceTenants: [emulator.tenantId],
    // No cooldown here, so the rollover test sees the refetch right away (production: 30 s).
    jwksCooldownMs: 0,
  });
});
afterAll(() => emulator.stop());

async function userToken(login: string, password: string): Promise<string> {
  const response = await fetch(`${emulator.authorityHost}/organizations/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: emulator.webClientId,
      username: login,
      password,
      scope: emulator.apiScope,
    }),
  });
  return String(((await response.json()) as { access_token: string }).access_token);
}

async function serviceToken(tenant: string): Promise<string> {
  const response = await fetch(`${emulator.authorityHost}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: emulator.serviceClientId,
      client_secret: emulator.serviceClientSecret,
      scope: `api://${emulator.apiClientId}/.default`,
    }),
  });
  return String(((await response.json()) as { access_token: string }).access_token);
}

const now = () => Math.floor(Date.now() / 1000);
const goodClaims = () => ({
  iss: `${emulator.authorityHost}/${emulator.tenantId}/v2.0`,
  aud: emulator.apiClientId,
  tid: emulator.tenantId,
  oid: agent.id,
  scp: 'access_as_user',
  preferred_username: agent.mail,
  iat: now(),
  nbf: now(),
  exp: now() + 600,
});
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

async function refusal(
  token: string,
): Promise<{ kind: string; status: number | undefined; message: string }> {
  try {
    await validate(token);
  } catch (error) {
    if (isSyncError(error)) return { kind: error.kind, status: error.status, message: error.message };
    throw error;
  }
  throw new Error('the token was accepted');
}

describe('validateAccessToken', () => {
  it('accepts the emulator’s user and service tokens and reads the principal', async () => {
    expect(await validate(await userToken(agent.mail, agent.password))).toMatchObject({
      kind: 'agent',
      tenantId: emulator.tenantId,
      objectId: agent.id,
      username: agent.mail,
    });
    expect((await validate(await userToken('boss@contoso.test', 'Boss-Pass-1'))).kind).toBe('tenantAdmin');
    expect(await validate(await userToken('otto@fabrikam.test', 'Otto-Pass-1'))).toMatchObject({
      kind: 'agent',
      tenantId: SECOND_TENANT_ID,
    });
    expect(await validate(await serviceToken(emulator.tenantId))).toMatchObject({
      kind: 'service',
      username: emulator.serviceClientId,
      tenants: [emulator.tenantId],
    });
    // The app id URI is an accepted audience too (v1-style tokens).
    const v1 = emulator.admin.signToken({ ...goodClaims(), aud: `api://${emulator.apiClientId}` });
    expect((await validate(v1)).kind).toBe('agent');
  });

  it('refuses every broken or forged token with 401 and a reason that holds no token', async () => {
    const good = emulator.admin.signToken(goodClaims());
    const [h, p, s] = good.split('.');
    const hs256 = (() => {
      const header = b64({
        typ: 'JWT',
        alg: 'HS256',
        kid: JSON.parse(Buffer.from(h ?? '', 'base64url').toString()).kid,
      });
      const body = b64(goodClaims());
      const sig = createHmac('sha256', emulator.admin.publicKeyPem())
        .update(`${header}.${body}`)
        .digest('base64url');
      return `${header}.${body}.${sig}`;
    })();
    const cases: Record<string, string> = {
      malformed: 'not-a-token',
      'three parts of junk': 'a.b.c',
      'alg none': `${b64({ typ: 'JWT', alg: 'none' })}.${b64(goodClaims())}.`,
      'HS256 signed with the public key': hs256,
      'unknown kid': emulator.admin.signToken(goodClaims(), { kid: 'some-other-key' }),
      'wrong issuer': emulator.admin.signToken({ ...goodClaims(), iss: 'https://evil.example/x/v2.0' }),
      'issuer of another tenant': emulator.admin.signToken({
        ...goodClaims(),
        iss: `${emulator.authorityHost}/${SECOND_TENANT_ID}/v2.0`,
      }),
      'wrong audience': emulator.admin.signToken({ ...goodClaims(), aud: 'https://graph.microsoft.com' }),
      expired: emulator.admin.signToken({
        ...goodClaims(),
        iat: now() - 7200,
        nbf: now() - 7200,
        exp: now() - 3600,
      }),
      'not yet valid': emulator.admin.signToken({ ...goodClaims(), nbf: now() + 3600, exp: now() + 7200 }),
      'tampered payload': `${h}.${b64({ ...goodClaims(), oid: 'someone-else' })}.${s}`,
      'no tenant': emulator.admin.signToken({ ...goodClaims(), tid: undefined }),
      'the Graph token': await (async () => {
        const r = await fetch(`${emulator.authorityHost}/${emulator.tenantId}/oauth2/v2.0/token`, {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: emulator.clientId,
            client_secret: emulator.clientSecret,
            scope: 'https://graph.microsoft.com/.default',
          }),
        });
        return String(((await r.json()) as { access_token: string }).access_token);
      })(),
    };
    expect(p).toBeTruthy();
    for (const [name, token] of Object.entries(cases)) {
      const answer = await refusal(token);
      expect({ name, kind: answer.kind, status: answer.status }).toEqual({ name, kind: 'auth', status: 401 });
      expect(answer.message).not.toContain(token.slice(0, 20));
    }
  });

  it('accepts tokens of a new signing key after a rollover: the JWKS is read again for the unknown kid', async () => {
    const before = emulator.admin.signToken(goodClaims());
    expect((await validate(before)).kind).toBe('agent');
    emulator.admin.rotateSigningKey();
    const after = emulator.admin.signToken(goodClaims());
    expect(JSON.parse(Buffer.from(after.split('.')[0] ?? '', 'base64url').toString()).kid).not.toBe(
      JSON.parse(Buffer.from(before.split('.')[0] ?? '', 'base64url').toString()).kid,
    );
    expect((await validate(after)).kind).toBe('agent');
    // The previous key is still published, so a token signed before the rollover stays valid.
    expect((await validate(before)).kind).toBe('agent');
  });

  it('refuses with 403 a valid token without the scope, and a service token of another tenant', async () => {
    const noScope = emulator.admin.signToken({ ...goodClaims(), scp: 'User.Read' });
    expect((await refusal(noScope)).status).toBe(403);
    expect((await refusal(await serviceToken(SECOND_TENANT_ID))).status).toBe(403);
  });
});
