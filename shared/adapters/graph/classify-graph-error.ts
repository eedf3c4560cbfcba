import { type ErrorKind, SyncError } from '../../errors.js';

/**
 * One pure classifier from HTTP status + Graph error code to an ErrorKind (STYLE.md item 6,
 * after twenty's parse-microsoft-messages-import util), and one normaliser that turns anything
 * the Graph SDK or @azure/identity throws into a SyncError whose message carries no secret.
 */

/** Codes that mean "the stored delta link is unusable: start a full round". */
const DELTA_EXPIRED_CODES = new Set(
  ['SyncStateNotFound', 'SyncStateInvalid', 'ResyncRequired', 'ErrorInvalidSyncStateData'].map((c) =>
    c.toLowerCase(),
  ),
);

/** Errors @azure/identity raises when the token cannot be had (wrapped by the SDK with status -1). */
const CREDENTIAL_ERRORS = new Set([
  'AuthenticationError',
  'CredentialUnavailableError',
  'AuthenticationRequiredError',
]);

/**
 * `status` is the HTTP status; 0 or negative (the SDK's -1) means no response arrived.
 * Unknown statuses are `transient`: a retry is cheap, dropping a change is not.
 */
export function classifyGraphError(status: number, code: string | undefined): ErrorKind {
  if (status === 410 || (code !== undefined && DELTA_EXPIRED_CODES.has(code.toLowerCase()))) {
    return 'deltaExpired';
  }
  if (status <= 0) return code !== undefined && CREDENTIAL_ERRORS.has(code) ? 'auth' : 'transient';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'transient';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'notFound';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 400 || status === 413 || status === 422) return 'invalid';
  return 'transient';
}

interface GraphErrorLike {
  statusCode: number;
  code: string | null;
  message: string;
}

function isGraphErrorLike(thrown: unknown): thrown is GraphErrorLike {
  return (
    thrown instanceof Error &&
    typeof (thrown as Partial<GraphErrorLike>).statusCode === 'number' &&
    'code' in thrown
  );
}

/** Bearer tokens, JWTs and form-encoded secrets, should a server or library echo them. */
const SECRETS = [
  /Bearer\s+[\w.~+/=-]+/gi,
  /eyJ[\w-]+\.[\w-]+\.[\w-]*/g,
  /(client_secret|client_assertion|access_token|refresh_token)=[^&\s"]+/gi,
];

export function scrubSecrets(text: string): string {
  return SECRETS.reduce((out, pattern) => out.replace(pattern, '[redacted]'), text).slice(0, 300);
}

/** Any thrown value → SyncError. A SyncError passes through unchanged. */
export function toSyncError(thrown: unknown, context = 'Graph request'): SyncError {
  if (thrown instanceof SyncError) return thrown;
  if (isGraphErrorLike(thrown)) {
    const status = thrown.statusCode;
    const code = thrown.code ?? (status > 0 ? `http_${status}` : 'network');
    const detail = thrown.message ? `: ${scrubSecrets(thrown.message)}` : '';
    const shown = status > 0 ? `${status} ${code}` : code;
    return new SyncError(classifyGraphError(status, code), code, `${context} failed with ${shown}${detail}`, {
      ...(status > 0 ? { status } : {}),
    });
  }
  if (thrown instanceof Error && CREDENTIAL_ERRORS.has(thrown.name)) {
    return new SyncError('auth', thrown.name, `${context}: no token (${scrubSecrets(thrown.message)})`);
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  // No cause attached: a foreign error object may hold request options, headers included.
  return new SyncError('transient', 'unexpected', `${context} failed: ${scrubSecrets(message)}`);
}
