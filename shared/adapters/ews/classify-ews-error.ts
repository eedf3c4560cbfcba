import { type ErrorKind, SyncError } from '../../errors.js';

/**
 * One pure classifier from an EWS ResponseCode to an ErrorKind (as classify-graph-error.ts for
 * Graph). EWS answers most failures with HTTP 200 and an Error ResponseClass per message; a
 * fault (HTTP 500) carries the same codes. Unknown codes are `transient`: retrying is safe,
 * giving up is not (issue 18 item 6).
 */
const KINDS: Record<string, ErrorKind> = {
  ErrorServerBusy: 'throttled',
  ErrorInvalidSyncStateData: 'deltaExpired',
  ErrorItemNotFound: 'notFound',
  ErrorSyncFolderNotFound: 'notFound',
  ErrorFolderNotFound: 'notFound',
  ErrorIrresolvableConflict: 'conflict',
  ErrorChangeKeyRequiredForWriteOperations: 'conflict',
  ErrorStaleObject: 'conflict',
  ErrorAccessDenied: 'auth',
  ErrorNonExistentMailbox: 'mailboxUnavailable',
  ErrorMailboxMoveInProgress: 'mailboxUnavailable',
  ErrorMailboxStoreUnavailable: 'mailboxUnavailable',
  ErrorSchemaValidation: 'invalid',
  ErrorInvalidPropertySet: 'invalid',
  ErrorInvalidRequest: 'invalid',
  ErrorInvalidIdMalformed: 'invalid',
  ErrorCannotCreateContactInNonContactFolder: 'invalid',
  ErrorQuotaExceeded: 'permanent',
};

export function classifyEwsError(code: string): ErrorKind {
  return KINDS[code] ?? 'transient';
}

/** A `throttled` SyncError that carries the wait Exchange asked for (BackOffMilliseconds). */
export class EwsThrottledError extends SyncError {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number) {
    super('throttled', 'ErrorServerBusy', message, { status: 500 });
    this.name = 'EwsThrottledError';
    this.retryAfterMs = retryAfterMs;
  }
}

/** Exchange's default when a busy answer names no wait (davmail#194 settled on a minute). */
export const DEFAULT_BACKOFF_MS = 60_000;

export function ewsError(code: string, text: string, context: string, backOffMs?: number): SyncError {
  const message = `${context}: ${code}${text ? ` (${text})` : ''}`;
  if (code === 'ErrorServerBusy') return new EwsThrottledError(message, backOffMs ?? DEFAULT_BACKOFF_MS);
  return new SyncError(classifyEwsError(code), code, message);
}
