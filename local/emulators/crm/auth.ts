import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpError } from './http.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Checks `Authorization: Bearer <token>`. Both sides are hashed first so the constant-time
 * comparison also hides the token's length.
 */
export function checkBearer(header: string | undefined, token: string): void {
  const given = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
  if (given === undefined || !timingSafeEqual(digest(given), digest(token))) {
    throw new HttpError(401, 'unauthorized', 'A valid bearer token is required', {
      'www-authenticate': 'Bearer realm="crm"',
    });
  }
}
