import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { Html } from './html.js';

/**
 * Request and response plumbing of the pages. Errors are negotiated: a browser (Accept:
 * text/html) gets a page, any other client the API's JSON error body, so a script that lands
 * here gets the same shape as from /api.
 */

/** Form bodies are small (a CSRF token, a few fields); anything larger is refused. */
export const MAX_FORM_BYTES = 16 * 1024;

export interface Csp {
  /** Origins forms may lead to (the authority: sign-in redirects follow form posts). */
  formTargets: string[];
}

export function securityHeaders(csp: Csp): Record<string, string> {
  return {
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      `form-action 'self' ${csp.formTargets.join(' ')}`.trim(),
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "object-src 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'cache-control': 'no-store',
  };
}

export function wantsHtml(request: HttpRequest): boolean {
  return /text\/html/i.test(request.headers.get('accept') ?? '');
}

export function htmlResponse(status: number, body: Html, headers: Record<string, string>): HttpResponseInit {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
    body: body.toString(),
  };
}

export function redirect(location: string, headers: Record<string, string> = {}): HttpResponseInit {
  return { status: 303, headers: { location, 'cache-control': 'no-store', ...headers } };
}

export function jsonError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify({ error: { code, message } }),
  } satisfies HttpResponseInit;
}

/** Reads an application/x-www-form-urlencoded body with a size limit; null when too large or not a form. */
export async function readForm(request: HttpRequest): Promise<URLSearchParams | null> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) return null;
  if (Number(request.headers.get('content-length') ?? '0') > MAX_FORM_BYTES) return null;
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_FORM_BYTES) return null;
  return new URLSearchParams(text);
}

/** The origin the browser used (the request URL's): sign-in redirect URIs are built from it. */
export function originOf(request: HttpRequest): string {
  return new URL(request.url).origin;
}

export function isLoopback(origin: string): boolean {
  const host = new URL(origin).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

/** Only local paths may be returned to after sign-in (no open redirect). */
export function localPath(value: string | null | undefined): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  return value.slice(0, 500);
}
