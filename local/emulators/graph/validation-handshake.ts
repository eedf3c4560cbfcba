import { randomBytes } from 'node:crypto';

/**
 * Graph's endpoint validation: `POST {url}?validationToken=<token>`; the endpoint must answer
 * 200 with `text/plain` and exactly the (URL-decoded) token within 10 seconds.
 */
const VALIDATION_TIMEOUT_MS = 10_000;

export async function validateEndpoint(url: string): Promise<boolean> {
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${crypto.randomUUID()} ${randomBytes(6).toString('hex')}`;
  const target = new URL(url);
  target.searchParams.set('validationToken', token);
  try {
    const response = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      signal: AbortSignal.timeout(VALIDATION_TIMEOUT_MS),
    });
    const body = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    return response.status === 200 && contentType.toLowerCase().startsWith('text/plain') && body === token;
  } catch {
    return false;
  }
}
