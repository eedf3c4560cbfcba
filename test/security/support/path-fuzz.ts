import fc from 'fast-check';
import { expect } from 'vitest';
import type { FuzzCase } from './fuzz-case.js';

/**
 * Paths that are not quite a route: dot segments (raw and encoded), encoded and raw slashes,
 * backslashes, empty segments, other methods. Wherever the host's URL normalisation lands such
 * a request, it carries no valid body and names no real account, so nothing may happen.
 * (No `admin` segment: `POST /admin/functions/{name}` is the local host's timer trigger.)
 */
const SEGMENTS = [
  'accounts',
  'graph',
  'notifications',
  'lifecycle',
  'crm',
  'events',
  'migrate',
  'confirm-deletes',
  'contacts.csv',
  'health',
  '..',
  '.',
  '%2e%2e',
  '.%2E',
  '',
  '%2F',
  'a%2Fb',
  '..%2F..%2Fapi',
  '%5C..',
  '\\..',
  ';',
  '%00',
  'unknown-id',
];

export const pathShapeFuzz = () =>
  fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
      prefix: fc.constantFrom('/api/', '/api//', '//api/', '/API/', '/api/./', '/'),
      segments: fc.array(fc.constantFrom(...SEGMENTS), { minLength: 0, maxLength: 5 }),
      body: fc.constantFrom(undefined, '{"not json'),
    })
    .map(
      ({ method, prefix, segments, body }): FuzzCase => ({
        request: { method, path: prefix + segments.join('/'), ...(body === undefined ? {} : { body }) },
        expect: {
          statuses: [200, 400, 401, 404, 405],
          check: (answer) => {
            if (answer.status === 200) expect(method, 'only a GET may succeed here').toBe('GET');
          },
        },
      }),
    );
