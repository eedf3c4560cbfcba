import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import azf, { type HttpResponseInit } from '@azure/functions';

const { HttpRequest } = azf;

/** node:http request → the @azure/functions HttpRequest the handlers take (as the host builds it). */
export async function toFunctionRequest(
  req: IncomingMessage,
  params: Record<string, string>,
  url: string,
  maxBytes: number,
) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return { tooLarge: true as const };
    chunks.push(chunk as Buffer);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const method = req.method ?? 'GET';
  const body =
    chunks.length > 0 && method !== 'GET' && method !== 'HEAD' ? { bytes: Buffer.concat(chunks) } : undefined;
  const request = new HttpRequest({
    method,
    url,
    headers,
    params,
    ...(body ? { body } : {}),
  });
  return { tooLarge: false as const, request };
}

/** HttpResponseInit (jsonBody, string, bytes or a stream) → node:http response. */
export async function writeFunctionResponse(res: ServerResponse, init: HttpResponseInit): Promise<void> {
  const headers = new Headers(init.headers as ConstructorParameters<typeof Headers>[0]);
  let body: unknown = init.body;
  if (init.jsonBody !== undefined) {
    body = JSON.stringify(init.jsonBody);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json; charset=utf-8');
  }
  res.statusCode = init.status ?? 200;
  headers.forEach((value, name) => {
    res.setHeader(name, value);
  });
  if (body === undefined || body === null) {
    res.end();
    return;
  }
  if (typeof body === 'string' || body instanceof Uint8Array) {
    res.end(body);
    return;
  }
  const stream =
    body instanceof ReadableStream
      ? Readable.fromWeb(body as import('node:stream/web').ReadableStream)
      : Readable.from(body as AsyncIterable<Uint8Array>);
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    res.on('close', resolve);
    stream.pipe(res);
  });
}
