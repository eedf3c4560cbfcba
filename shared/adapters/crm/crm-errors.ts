import { type ErrorKind, SyncError } from '../../errors.js';

/**
 * Turns a failed CRM call into a SyncError. The message names the call by its route
 * template (never the URL with ids and never headers), the status and the CRM's error code,
 * so logs say what failed without leaking data or the token.
 */

export function kindForStatus(status: number): ErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'notFound';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'transient';
  if (status === 400 || status === 413 || status === 422) return 'invalid';
  return 'permanent';
}

export interface CallName {
  method: string;
  route: string;
}

export function statusError(
  call: CallName,
  status: number,
  crm: { code?: string | undefined; message?: string | undefined },
): SyncError {
  const code = crm.code ?? `http_${status}`;
  const detail = crm.message ? `: ${crm.message}` : '';
  return new SyncError(
    kindForStatus(status),
    code,
    `CRM ${call.method} ${call.route} failed with ${status} ${code}${detail}`,
    {
      status,
    },
  );
}

export function networkError(call: CallName, cause: unknown, timeoutMs: number): SyncError {
  const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
  const reason = timedOut ? `timed out after ${timeoutMs} ms` : 'could not reach the CRM';
  return new SyncError(
    'transient',
    timedOut ? 'timeout' : 'network',
    `CRM ${call.method} ${call.route} ${reason}`,
    {
      cause,
    },
  );
}

export function invalidResponseError(call: CallName, status: number, reason: string): SyncError {
  return new SyncError(
    'permanent',
    'crm_invalid_response',
    `CRM ${call.method} ${call.route} answered ${status} with an unexpected body: ${reason}`,
    { status },
  );
}
