import { type ErrorKind, SyncError, toError } from '../../errors.js';

/**
 * One pure classifier from a Table Storage failure to a SyncError kind. The SDK's RestError
 * carries the HTTP status in `statusCode`; the service's code is in `details.odataError.code`
 * for single operations and in `code` for transactions (toolchain.md section 2).
 */
export function tableErrorKind(status: number | undefined): ErrorKind {
  if (status === undefined) return 'transient'; // no response: network, timeout
  if (status === 409 || status === 412) return 'conflict';
  if (status === 404) return 'notFound';
  if (status === 429) return 'throttled';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408 || status >= 500) return 'transient';
  if (status >= 400) return 'invalid';
  return 'permanent';
}

export function statusOf(thrown: unknown): number | undefined {
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const status = (thrown as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

function serviceCode(thrown: unknown): string | undefined {
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const details = (thrown as { details?: { odataError?: { code?: unknown } } }).details;
  const code = details?.odataError?.code ?? (thrown as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** `what` names the operation for the message, e.g. "put link 42"; never include secrets. */
export function toTableSyncError(thrown: unknown, what: string): SyncError {
  if (thrown instanceof SyncError) return thrown;
  const status = statusOf(thrown);
  const code = serviceCode(thrown) ?? (status === undefined ? 'NetworkError' : `Http${status}`);
  return new SyncError(tableErrorKind(status), code, `Table Storage: ${what} failed (${code})`, {
    ...(status === undefined ? {} : { status }),
    cause: toError(thrown),
  });
}

/** Runs a table call and rethrows anything as a classified SyncError. */
export async function tableCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (thrown) {
    throw toTableSyncError(thrown, what);
  }
}

export function isStatus(thrown: unknown, status: number): boolean {
  return statusOf(thrown) === status || (thrown instanceof SyncError && thrown.status === status);
}
