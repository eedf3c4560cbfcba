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
 * "This mailbox cannot be read right now", never "this contact is gone" (shared/errors.ts):
 * - 404 MailboxNotEnabledForRESTAPI "The mailbox is either inactive, soft-deleted, or is hosted
 *   on-premise." — unlicensed, soft-deleted or migrating mailboxes (msgraph-sdk-javascript#1756,
 *   OfficeDev/outlook-dev-docs#1031);
 * - 404 ErrorInvalidUser "The requested user '…' is invalid." and ErrorNonExistentMailbox
 *   "The SMTP address has no mailbox associated with it.";
 * - 404 ResourceNotFound "Resource could not be discovered." on a mailbox path: a user whose
 *   mailbox Graph cannot find (microsoft-graph-docs#5143: "will happen when you try and call api
 *   on a users mailbox that does not exist", #4598 for some users of a tenant);
 * - 403 "Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy
 *   settings." — an Exchange application access policy that leaves this mailbox out
 *   (learn.microsoft.com/graph/auth-limit-mailbox-access, "Handling API errors";
 *   msgraph-sdk-java#510 shows it as 403 ExtensionError on a subscription).
 * Missing consent answers 403 ErrorAccessDenied too, but "Access is denied. Check credentials and
 * try again.": that is `auth` (the whole app is locked out), so the message decides here.
 */
const MAILBOX_UNAVAILABLE_CODES = new Set(
  ['MailboxNotEnabledForRESTAPI', 'ErrorInvalidUser', 'ErrorNonExistentMailbox'].map((c) => c.toLowerCase()),
);
const ACCESS_POLICY = /access to odata is disabled|\[RAOP\]|AccessPolicy/i;

/**
 * 404 codes that mean the item itself is gone: ErrorItemNotFound "The specified object was not
 * found in the store." for a contact, ErrorSyncFolderNotFound "The folder to be synchronized
 * could not be found." for a deleted folder's delta (alcionai/corso#1847). Any other 404 is
 * not proof that something is gone.
 */
const ITEM_GONE_CODES = new Set(
  ['ErrorItemNotFound', 'ErrorSyncFolderNotFound', 'ErrorFolderNotFound'].map((c) => c.toLowerCase()),
);

export interface GraphErrorDetail {
  /** Graph's error message; only read to tell an application access policy from missing consent. */
  message?: string | undefined;
  /**
   * `app` for app-wide routes (`/subscriptions`), where ResourceNotFound is the subscription
   * itself; `mailbox` (default) for `/users/{m}/…`, where it is the mailbox.
   */
  scope?: 'mailbox' | 'app';
}

/**
 * `status` is the HTTP status; 0 or negative (the SDK's -1) means no response arrived.
 * Whatever is not recognised is `transient`: a retry is cheap, dropping a change is not, and
 * an unknown 404 must never read as "gone".
 */
export function classifyGraphError(
  status: number,
  code: string | undefined,
  detail: GraphErrorDetail = {},
): ErrorKind {
  const lower = code?.toLowerCase();
  if (status === 410 || (lower !== undefined && DELTA_EXPIRED_CODES.has(lower))) {
    return 'deltaExpired';
  }
  if (status <= 0) return code !== undefined && CREDENTIAL_ERRORS.has(code) ? 'auth' : 'transient';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'transient';
  if (lower !== undefined && MAILBOX_UNAVAILABLE_CODES.has(lower)) return 'mailboxUnavailable';
  if (status === 403 && ACCESS_POLICY.test(detail.message ?? '')) return 'mailboxUnavailable';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return notFoundKind(lower, detail.scope ?? 'mailbox');
  if (status === 409 || status === 412) return 'conflict';
  if (lower !== undefined && ITEM_GONE_CODES.has(lower)) return 'notFound';
  if (status === 400 || status === 413 || status === 422) return 'invalid';
  return 'transient';
}

function notFoundKind(code: string | undefined, scope: 'mailbox' | 'app'): ErrorKind {
  if (code !== undefined && ITEM_GONE_CODES.has(code)) return 'notFound';
  if (code === 'resourcenotfound') return scope === 'app' ? 'notFound' : 'mailboxUnavailable';
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
export function toSyncError(
  thrown: unknown,
  context = 'Graph request',
  scope: GraphErrorDetail['scope'] = 'mailbox',
): SyncError {
  if (thrown instanceof SyncError) return thrown;
  if (isGraphErrorLike(thrown)) {
    const status = thrown.statusCode;
    const code = thrown.code ?? (status > 0 ? `http_${status}` : 'network');
    const detail = thrown.message ? `: ${scrubSecrets(thrown.message)}` : '';
    const shown = status > 0 ? `${status} ${code}` : code;
    const kind = classifyGraphError(status, code, { message: thrown.message, scope });
    return new SyncError(kind, code, `${context} failed with ${shown}${detail}`, {
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
