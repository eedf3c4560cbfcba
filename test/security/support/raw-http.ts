import { type IncomingHttpHeaders, maxHeaderSize, request } from 'node:http';

/**
 * A raw HTTP client for hostile requests: the path is sent exactly as given (`..`, `%2F`,
 * `//` are not normalised the way fetch would), headers may repeat, the body may be any bytes,
 * and it may be sent chunked (no content-length).
 */
export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** Send the body with `transfer-encoding: chunked` instead of a content-length. */
  chunked?: boolean;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * Whether Node's HTTP parser would let the request's head (request line and headers) through
 * to the host at all: beyond `http.maxHeaderSize` (16 KiB by default) Node answers
 * `431 Request Header Fields Too Large` itself, with no body, before any route runs (and in
 * Azure the front end refuses such a request first). Such a request tests Node, not the product,
 * so the fuzz does not send it. Counted as llhttp counts: the request line, each header line,
 * and the headers sendRaw adds, with a margin for `host` and `connection`.
 */
export function fitsNodeHeaderLimit(raw: RawRequest): boolean {
  const line = (name: string, value: string) => name.length + 2 + Buffer.byteLength(value) + 2;
  const headers = Object.entries(raw.headers ?? {}).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((v) => line(name, v)),
  );
  const head =
    Buffer.byteLength(`${raw.method} ${raw.path} HTTP/1.1\r\n`) + headers.reduce((a, b) => a + b, 0);
  const added =
    line('content-length', '0000000000') + line('host', '127.0.0.1:65535') + line('connection', 'close');
  return head + added + 2 <= maxHeaderSize;
}

/** A hung request is a finding too; fail it well before the test's own timeout. */
const ANSWER_TIMEOUT_MS = 5_000;

export function sendRaw(baseUrl: string, raw: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body = raw.body === undefined ? undefined : Buffer.from(raw.body);
  const headers: Record<string, string | string[]> = { ...raw.headers };
  if (body && !raw.chunked) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      { host: url.hostname, port: url.port, method: raw.method, path: raw.path, headers, agent: false },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    // A server may answer (413) and hang up before it read a huge body: that is not our failure.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.setTimeout(ANSWER_TIMEOUT_MS, () =>
      req.destroy(
        new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms to ${raw.method} ${raw.path.slice(0, 100)}`),
      ),
    );
    if (body && raw.chunked) {
      for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.subarray(i, i + 64 * 1024));
      req.end();
    } else req.end(body);
  });
}
