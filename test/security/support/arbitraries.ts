import fc from 'fast-check';

/** Hostile building blocks for request fuzzing: strings, JSON values, bodies, headers, path segments. */

const LONE_SURROGATES = ['\ud800', '\udfff', 'a\udc00b', '\ud83d'];
const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '../../etc/passwd',
  '%2F',
  '\u202e',
  '𝕏',
  '\ufeff',
  'null',
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(...ODD_STRINGS, ...LONE_SURROGATES),
  fc.string({ maxLength: 10 }).map((s) => `${s}\ud800`),
  fc.integer({ min: 201, max: 5000 }).map((n) => 'x'.repeat(n)),
);

/** Any JSON value, of any type, often with hostile strings in it. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);

const nested = (open: string, inner: string, close: string) =>
  fc.integer({ min: 1_000, max: 50_000 }).map((n) => open.repeat(n) + inner + close.repeat(n));

/** Body text that is not JSON, malformed JSON, any JSON, deeply nested, or big (still under 1 MiB). */
export const junkText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constant(''), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 2 },
  { arbitrary: fc.json().map((s) => s.slice(0, -1)), weight: 2 },
  {
    arbitrary: fc.constantFrom('{', '[', '{"value":', '{"a":1,}', "{'a':1}", 'NaN', '\ufeff{}', '{}garbage'),
    weight: 2,
  },
  { arbitrary: anyJson.map((v) => JSON.stringify(v) ?? 'null'), weight: 4 },
  { arbitrary: fc.oneof(nested('[', '', ']'), nested('{"value":', '1', '}')), weight: 1 },
  { arbitrary: fc.integer({ min: 100_000, max: 1_000_000 }).map((n) => `"${'x'.repeat(n)}"`), weight: 1 },
);

/** Raw bytes: random, or invalid UTF-8 (an encoded lone surrogate, a truncated sequence, NUL). */
export const junkBytes: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc.constantFrom(
    Buffer.from([0xed, 0xa0, 0x80]),
    Buffer.from('{"value":[{"subscriptionId":"\xed\xa0\x80"}]}', 'latin1'),
    Buffer.from([0xe2, 0x82]),
    Buffer.from([0x00]),
  ),
);

export const junkBody: fc.Arbitrary<string | Buffer> = fc.oneof(
  { arbitrary: junkText, weight: 4 },
  { arbitrary: junkBytes, weight: 1 },
);

/** Printable ASCII, the characters any HTTP header value may hold. */
export const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 60,
});
// Long values; with a long path and query the head can pass Node's 16 KiB limit, beyond which
// Node itself answers 431 before the host sees the request: the fuzz leaves such cases out
// (fitsNodeHeaderLimit in raw-http.ts).
const headerValue = fc.oneof(
  printable,
  fc.integer({ min: 100, max: 1_500 }).map((n) => 'v'.repeat(n)),
);
const headerName = fc
  .stringMatching(/^[a-z][a-z0-9-]{0,20}$/)
  .filter(
    (n) =>
      ![
        'content-length',
        'transfer-encoding',
        'host',
        'connection',
        'expect',
        'upgrade',
        'te',
        'trailer',
      ].includes(n),
  );

/** Extra headers, some repeated, and an unusual content-type now and then. */
export const junkHeaders: fc.Arbitrary<Record<string, string | string[]>> = fc
  .tuple(
    fc.dictionary(headerName, fc.oneof(headerValue, fc.array(headerValue, { minLength: 2, maxLength: 3 })), {
      maxKeys: 3,
    }),
    fc.option(
      fc.oneof(
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/json; charset=utf-16',
          'multipart/form-data',
        ),
        fc.constant<string | string[]>(['application/json', 'text/xml']),
      ),
    ),
  )
  .map(([headers, type]) => (type === null ? headers : { ...headers, 'content-type': type }));

/** Percent-encodes the UTF-8 bytes of a string (lone surrogates become U+FFFD, as a browser would). */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9._~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** One path segment that stays one non-empty segment after URL normalisation (no raw `/`, no dot segments). */
export function idSegment(realIds: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    hostileString.filter((s) => s.length > 0).map(percentEncode),
    fc.constantFrom(
      '%',
      '%zz',
      '%00',
      '%ED%A0%80',
      '%C0%AF',
      'a%2Fb',
      '%2F',
      '..%2F..%2Fhealth',
      '...',
      '%2e%2e%2f',
    ),
    fc.integer({ min: 400, max: 8_000 }).map((n) => 'a'.repeat(n)),
    fc
      .constantFrom(...realIds)
      .chain((id) =>
        fc.constantFrom(
          id.toUpperCase(),
          `${id}x`,
          id.slice(0, -1),
          `${id}%00`,
          `${id}%2F..`,
          ` ${id}`.replace(' ', '%20'),
        ),
      ),
  );
}

/** Whether the host can decode a path segment at all (if not, no route matches: 404). */
export function decodable(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}
