import { createHash } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { APP_CSS } from '../assets/app-css.js';
import { APP_JS } from '../assets/app-js.js';

const ASSETS: Record<string, { type: string; body: string }> = {
  'app.css': { type: 'text/css; charset=utf-8', body: APP_CSS },
  'app.js': { type: 'text/javascript; charset=utf-8', body: APP_JS },
};
const ETAGS = new Map(
  Object.entries(ASSETS).map(([name, a]) => [
    name,
    `"${createHash('sha256').update(a.body).digest('base64url').slice(0, 16)}"`,
  ]),
);

/** Static assets: long-cached (the pages reference them with a version), with an ETag. */
export function asset(request: HttpRequest, name: string): HttpResponseInit | null {
  const found = ASSETS[name];
  const etag = ETAGS.get(name);
  if (!found || !etag) return null;
  const headers = {
    'content-type': found.type,
    'cache-control': 'public, max-age=86400',
    etag,
    'x-content-type-options': 'nosniff',
  };
  if (request.headers.get('if-none-match') === etag) return { status: 304, headers };
  return { status: 200, headers, body: found.body };
}
