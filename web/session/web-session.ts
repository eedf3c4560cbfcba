import { timingSafeEqual } from 'node:crypto';
import type { HttpRequest } from '@azure/functions';
import { parse, serialize } from 'cookie';
import { isLoopback, originOf } from '../http.js';
import { newSessionId, newToken, type SessionData, type SessionStore } from './session-store.js';

/**
 * The browser's session: one cookie holding a random id (HttpOnly, SameSite=Lax, Secure
 * outside loopback; http://127.0.0.1 cannot carry a Secure cookie), the data server-side.
 * CSRF: every state-changing request carries the session's synchronizer token in the form
 * (OWASP CSRF cheat sheet) and, when the browser sends one, an Origin equal to ours.
 */
export const SESSION_COOKIE = 'ccs_session';
/** A session without sign-in (a flow in progress) lives 15 minutes. */
export const FLOW_LIFETIME_MS = 15 * 60 * 1000;

export interface LoadedSession<P> {
  id: string;
  data: SessionData<P>;
  /** True when the row did not exist before this request. */
  fresh: boolean;
}

export function sessionIdOf(request: HttpRequest): string | null {
  const header = request.headers.get('cookie');
  if (!header) return null;
  return parse(header)[SESSION_COOKIE] ?? null;
}

export async function loadSession<P>(
  store: SessionStore<P>,
  request: HttpRequest,
  now: number,
): Promise<LoadedSession<P> | null> {
  const id = sessionIdOf(request);
  if (!id) return null;
  const data = await store.get(id, now);
  return data ? { id, data, fresh: false } : null;
}

export function blankSession<P>(now: number): LoadedSession<P> {
  return {
    id: newSessionId(),
    data: {
      principal: null,
      displayName: null,
      csrf: newToken(),
      expiresAt: now + FLOW_LIFETIME_MS,
      flow: null,
      notice: null,
    },
    fresh: true,
  };
}

export function sessionCookie(request: HttpRequest, id: string, expiresAt: number): string {
  return serialize(SESSION_COOKIE, id, {
    httpOnly: true,
    secure: !isLoopback(originOf(request)),
    sameSite: 'lax',
    path: '/',
    expires: new Date(expiresAt),
  });
}

export function clearedCookie(request: HttpRequest): string {
  return serialize(SESSION_COOKIE, '', {
    httpOnly: true,
    secure: !isLoopback(originOf(request)),
    sameSite: 'lax',
    path: '/',
    expires: new Date(0),
  });
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The CSRF check of a POST: the form's token equals the session's, and the Origin (if sent) is ours. */
export function csrfOk(request: HttpRequest, session: SessionData<unknown>, form: URLSearchParams): boolean {
  const origin = request.headers.get('origin');
  if (origin !== null && origin !== originOf(request)) return false;
  const token = form.get('csrf');
  return token !== null && sameToken(token, session.csrf);
}
