import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';

/**
 * Request bodies larger than this are refused (413) before parsing: the host's limit for every
 * route (Graph's notification batches stay far below it) ...
 */
export const MAX_BODY_BYTES = 1024 * 1024;
/** ... and the accounts API's, whose bodies are a few hundred bytes. */
export const MAX_API_BODY_BYTES = 16 * 1024;
/** Query strings: at most this long, each value at most MAX_QUERY_VALUE, no control characters. */
export const MAX_QUERY_LENGTH = 2048;
export const MAX_QUERY_VALUE = 256;

export function jsonError(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): HttpResponseInit {
  return { status, jsonBody: { error: { code, message, ...extra } } };
}

export function json(status: number, body: unknown): HttpResponseInit {
  return { status, jsonBody: body };
}

export type Parsed<T> = { ok: true; value: T; raw: string } | { ok: false; response: HttpResponseInit };

/** Reads the body's exact bytes once, with a size limit (signatures are computed over bytes). */
export async function readRawBytes(
  request: HttpRequest,
): Promise<{ ok: true; bytes: Buffer } | { ok: false; response: HttpResponseInit }> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  const tooLarge = {
    ok: false as const,
    response: jsonError(413, 'BodyTooLarge', `the body must be at most ${MAX_BODY_BYTES} bytes`),
  };
  if (declared > MAX_BODY_BYTES) return tooLarge;
  const bytes = Buffer.from(await request.arrayBuffer());
  return bytes.length > MAX_BODY_BYTES ? tooLarge : { ok: true, bytes };
}

/** Reads the raw body once, with a size limit. */
export async function readRawBody(
  request: HttpRequest,
  limit = MAX_BODY_BYTES,
): Promise<{ ok: true; raw: string } | { ok: false; response: HttpResponseInit }> {
  const tooLarge = {
    ok: false as const,
    response: jsonError(413, 'BodyTooLarge', `the body must be at most ${limit} bytes`),
  };
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) return tooLarge;
  const raw = await request.text();
  if (Buffer.byteLength(raw) > limit) return tooLarge;
  return { ok: true, raw };
}

/** Parses and validates a JSON body: 400 with the first problems named, never a throw. */
export async function readJson<T>(
  request: HttpRequest,
  schema: z.ZodType<T>,
  limit = MAX_BODY_BYTES,
): Promise<Parsed<T>> {
  const body = await readRawBody(request, limit);
  if (!body.ok) return body;
  return parseJson(body.raw, schema);
}

export function parseJson<T>(raw: string, schema: z.ZodType<T>): Parsed<T> {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, response: jsonError(400, 'MalformedJson', 'the body is not valid JSON') };
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    return {
      ok: false,
      response: jsonError(
        400,
        'InvalidBody',
        `the body does not match the expected shape: ${problems.join('; ')}`,
      ),
    };
  }
  return { ok: true, value: result.data, raw };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Checks the query string before anything reads storage: bounded length, no control
 * characters, and each named parameter matching its pattern (others are ignored).
 */
export function checkQuery<K extends string>(
  request: HttpRequest,
  patterns: Record<K, RegExp>,
): { ok: true; values: Partial<Record<K, string>> } | { ok: false; response: HttpResponseInit } {
  const bad = (message: string) => ({
    ok: false as const,
    response: jsonError(400, 'InvalidQuery', message),
  });
  const search = new URL(request.url).search;
  if (search.length > MAX_QUERY_LENGTH)
    return bad(`the query string must be at most ${MAX_QUERY_LENGTH} characters`);
  const values: Partial<Record<K, string>> = {};
  for (const [name, value] of request.query.entries()) {
    if (name.length > MAX_QUERY_VALUE || value.length > MAX_QUERY_VALUE || CONTROL.test(name + value)) {
      return bad('a query parameter is too long or holds control characters');
    }
    if (Object.hasOwn(patterns, name)) {
      if (!patterns[name as K].test(value)) return bad(`the query parameter ${name} is not valid`);
      values[name as K] = value;
    }
  }
  return { ok: true, values };
}
