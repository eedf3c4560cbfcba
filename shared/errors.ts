/**
 * Every error the product throws is a SyncError with a stable `kind`, so handlers dispatch in
 * one place (see shared/sync/dispatch-error.ts) instead of matching strings.
 */
export type ErrorKind =
  | 'transient' // retry later (network, 5xx, timeouts)
  | 'throttled' // 429 that outlived the adapter's own waiting
  | 'auth' // credentials or consent missing or wrong
  | 'notFound' // this item is gone (never used for a mailbox that cannot be read)
  | 'mailboxUnavailable' // the mailbox cannot be read right now (unlicensed, migrating, access policy): nothing is gone
  | 'conflict' // stale ETag / version / changeKey: re-read and re-plan
  | 'deltaExpired' // 410 SyncStateNotFound: full resync
  | 'invalid' // bad input: never retry, dead-letter with the reason
  | 'permanent'; // any other non-retryable failure

export class SyncError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly status: number | undefined;

  constructor(
    kind: ErrorKind,
    code: string,
    message: string,
    options?: { status?: number; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SyncError';
    this.kind = kind;
    this.code = code;
    this.status = options?.status;
  }
}

/** Turns anything thrown into an Error, so stacks and messages are never lost. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    return new Error(JSON.stringify(thrown));
  } catch {
    return new Error(String(thrown));
  }
}

export function isSyncError(thrown: unknown, kind?: ErrorKind): thrown is SyncError {
  return thrown instanceof SyncError && (kind === undefined || thrown.kind === kind);
}
