import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';

/** The small request/response model the emulator's route handlers work with. */

export const MAX_BODY_BYTES = 1024 * 1024;

/** A failure that becomes a JSON error reply `{ error: { code, message } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface Request {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  header(name: string): string | undefined;
  rawBody: Buffer;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (request: Request) => Promise<Reply> | Reply;

/** Parses the body as JSON and validates it with `schema`; 400 with the reason otherwise. */
export function parseBody<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  return validate(schema, parseJson(request));
}

export function parseJson(request: Request): unknown {
  if (request.rawBody.length === 0) throw new HttpError(400, 'invalid_json', 'A JSON body is required');
  try {
    return JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_json', 'The body is not valid JSON');
  }
}

export function validate<S extends z.ZodType>(schema: S, value: unknown, code = 'invalid_body'): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const reasons = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
    throw new HttpError(400, code, reasons.join('; '));
  }
  return parsed.data;
}

/**
 * Reads the whole body, up to MAX_BODY_BYTES. A larger body is drained (not buffered) and
 * reported as null, so the caller can answer 413 on a connection the client still reads from.
 */
export async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  return size > MAX_BODY_BYTES ? null : Buffer.concat(chunks);
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return; // the client gave up (timeouts in tests): nothing to answer
  const headers: Record<string, string> = { ...reply.headers };
  let payload = '';
  if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

export function errorReply(error: HttpError): Reply {
  return {
    status: error.status,
    headers: error.headers,
    body: { error: { code: error.code, message: error.message } },
  };
}
