import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCrmEmulator, startCrmEmulator } from '../../../local/emulators/crm/index.js';
import { rawClient } from './client.js';

let emulator: RunningCrmEmulator;
let call: ReturnType<typeof rawClient>;
let id = '';

beforeAll(async () => {
  emulator = await startCrmEmulator();
  call = rawClient(emulator);
  id = emulator.admin.seed([{ firstName: 'Existing' }])[0]?.id ?? '';
});
afterAll(() => emulator.stop());

const oversize = JSON.stringify({ notes: 'x'.repeat(1024 * 1024 + 10) });

// [name, method, path, raw body, headers, expected status, expected error code]
const cases: Array<
  [string, string, () => string, string | undefined, Record<string, string>, number, string]
> = [
  ['malformed JSON', 'POST', () => '/crm/v1/contacts', '{"firstName":', {}, 400, 'invalid_json'],
  ['empty body', 'POST', () => '/crm/v1/contacts', undefined, {}, 400, 'invalid_json'],
  ['a JSON array', 'POST', () => '/crm/v1/contacts', '[]', {}, 400, 'invalid_body'],
  ['JSON null', 'POST', () => '/crm/v1/contacts', 'null', {}, 400, 'invalid_body'],
  ['an unknown field', 'POST', () => '/crm/v1/contacts', '{"nickname":"x"}', {}, 400, 'invalid_body'],
  ['a server field', 'POST', () => '/crm/v1/contacts', '{"version":5}', {}, 400, 'invalid_body'],
  ['a wrong type', 'POST', () => '/crm/v1/contacts', '{"firstName":42}', {}, 400, 'invalid_body'],
  [
    'a wrong nested type',
    'POST',
    () => '/crm/v1/contacts',
    '{"emails":[{"address":"a@b.de","type":"work"}]}',
    {},
    400,
    'invalid_body',
  ],
  [
    'an unknown nested field',
    'POST',
    () => '/crm/v1/contacts',
    '{"phones":[{"number":"1","type":null,"x":1}]}',
    {},
    400,
    'invalid_body',
  ],
  ['a bad birthday', 'POST', () => '/crm/v1/contacts', '{"birthday":"01.05.1980"}', {}, 400, 'invalid_body'],
  ['an oversize body', 'POST', () => '/crm/v1/contacts', oversize, {}, 413, 'payload_too_large'],
  [
    'an empty Idempotency-Key',
    'POST',
    () => '/crm/v1/contacts',
    '{}',
    { 'idempotency-key': '' },
    400,
    'invalid_idempotency_key',
  ],
  [
    'PATCH with an unknown field',
    'PATCH',
    () => `/crm/v1/contacts/${id}`,
    '{"foo":1}',
    {},
    400,
    'invalid_body',
  ],
  [
    'PATCH with a wrong type',
    'PATCH',
    () => `/crm/v1/contacts/${id}`,
    '{"syncAccounts":"a"}',
    {},
    400,
    'invalid_body',
  ],
  ['PATCH with malformed JSON', 'PATCH', () => `/crm/v1/contacts/${id}`, '{', {}, 400, 'invalid_json'],
  [
    'PATCH with an oversize body',
    'PATCH',
    () => `/crm/v1/contacts/${id}`,
    oversize,
    {},
    413,
    'payload_too_large',
  ],
  [
    'a malformed If-Match',
    'PATCH',
    () => `/crm/v1/contacts/${id}`,
    '{}',
    { 'if-match': 'v1' },
    400,
    'invalid_if_match',
  ],
  ['an unknown route', 'GET', () => '/crm/v1/nothing', undefined, {}, 404, 'route_not_found'],
  ['a wrong method', 'PUT', () => `/crm/v1/contacts/${id}`, '{}', {}, 405, 'method_not_allowed'],
  [
    'a broken %-escape in the id',
    'GET',
    () => '/crm/v1/contacts/%E0%A4%A',
    undefined,
    {},
    404,
    'route_not_found',
  ],
  [
    'an unknown fault kind',
    'POST',
    () => '/_emulator/faults',
    '{"kind":"meteor","count":1}',
    {},
    400,
    'invalid_body',
  ],
  [
    'a status fault outside 500|503|429',
    'POST',
    () => '/_emulator/faults',
    '{"kind":"status","status":418,"count":1}',
    {},
    400,
    'invalid_body',
  ],
  [
    'a webhook without a secret',
    'POST',
    () => '/_emulator/webhooks',
    '{"url":"http://127.0.0.1:1/x"}',
    {},
    400,
    'invalid_body',
  ],
];

describe('bad input gets a 4xx JSON error, never a crash', () => {
  it.each(cases)('%s', async (_name, method, path, rawBody, headers, status, code) => {
    const response = await call(method, path(), rawBody === undefined ? { headers } : { rawBody, headers });
    expect(response.status).toBe(status);
    expect(response.json).toMatchObject({ error: { code, message: expect.any(String) } });
  });

  it('still serves requests and kept the contact unchanged afterwards', async () => {
    const response = await call('GET', `/crm/v1/contacts/${id}`);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ firstName: 'Existing', version: 1 });
    expect(emulator.admin.contacts()).toHaveLength(1);
  });
});
