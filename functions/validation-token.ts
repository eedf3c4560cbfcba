import type { HttpRequest, HttpResponseInit } from '@azure/functions';

/**
 * Graph's subscription handshake: `POST …?validationToken=…` must be answered within 10 s
 * with 200, text/plain and the (URL-decoded) token as the raw body.
 */
export function validationHandshake(request: HttpRequest): HttpResponseInit | null {
  const token = request.query.get('validationToken');
  if (token === null) return null;
  if (token.length > 1024)
    return {
      status: 400,
      jsonBody: { error: { code: 'InvalidToken', message: 'validationToken is too long' } },
    };
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: token };
}
