import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';

/** Request bodies larger than this are refused before parsing (Graph batches are far smaller). */
export const MAX_BODY_BYTES = 1024 * 1024;

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
): Promise<{ ok: true; raw: string } | { ok: false; response: HttpResponseInit }> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES)
    return {
      ok: false,
      response: jsonError(413, 'BodyTooLarge', `the body must be at most ${MAX_BODY_BYTES} bytes`),
    };
  const raw = await request.text();
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) {
    return {
      ok: false,
      response: jsonError(413, 'BodyTooLarge', `the body must be at most ${MAX_BODY_BYTES} bytes`),
    };
  }
  return { ok: true, raw };
}

/** Parses and validates a JSON body: 400 with the first problems named, never a throw. */
export async function readJson<T>(request: HttpRequest, schema: z.ZodType<T>): Promise<Parsed<T>> {
  const body = await readRawBody(request);
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
