import { GraphError } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';
import { classifyGraphError, toSyncError } from '../../../shared/adapters/graph/classify-graph-error.js';
import type { ErrorKind } from '../../../shared/errors.js';
import { SyncError } from '../../../shared/errors.js';

describe('classifyGraphError', () => {
  const table: [number, string | undefined, ErrorKind][] = [
    [410, 'SyncStateNotFound', 'deltaExpired'],
    [410, undefined, 'deltaExpired'],
    [400, 'syncStateNotFound', 'deltaExpired'],
    [400, 'ErrorInvalidSyncStateData', 'deltaExpired'],
    [429, 'TooManyRequests', 'throttled'],
    [429, 'ApplicationThrottled', 'throttled'],
    [500, 'InternalServerError', 'transient'],
    [503, 'ServiceUnavailable', 'transient'],
    [504, undefined, 'transient'],
    [-1, 'TypeError', 'transient'],
    [-1, 'AuthenticationError', 'auth'],
    [-1, 'CredentialUnavailableError', 'auth'],
    [401, 'InvalidAuthenticationToken', 'auth'],
    [403, 'ErrorAccessDenied', 'auth'],
    [404, 'ErrorItemNotFound', 'notFound'],
    // ErrorSyncFolderNotFound "The folder to be synchronized could not be found." (alcionai/corso#1847)
    [404, 'ErrorSyncFolderNotFound', 'notFound'],
    [400, 'ErrorSyncFolderNotFound', 'notFound'],
    // "The mailbox is either inactive, soft-deleted, or is hosted on-premise." (msgraph-sdk-javascript#1756)
    [404, 'MailboxNotEnabledForRESTAPI', 'mailboxUnavailable'],
    [404, 'ErrorInvalidUser', 'mailboxUnavailable'],
    [404, 'ErrorNonExistentMailbox', 'mailboxUnavailable'],
    // "Resource could not be discovered." for a user's mailbox (microsoft-graph-docs#5143, #4598)
    [404, 'ResourceNotFound', 'mailboxUnavailable'],
    // Not recognised: never "gone".
    [404, undefined, 'transient'],
    [404, 'SomethingNew', 'transient'],
    [412, 'ErrorIrresolvableConflict', 'conflict'],
    [409, 'ErrorIrresolvableConflict', 'conflict'],
    [400, 'ErrorInvalidArgument', 'invalid'],
    [400, undefined, 'invalid'],
    [413, undefined, 'invalid'],
    [405, 'BadRequest', 'transient'],
    [418, undefined, 'transient'],
  ];
  it.each(table)('%i %s → %s', (status, code, kind) => {
    expect(classifyGraphError(status, code)).toBe(kind);
  });
});

describe('classifyGraphError: an unreadable mailbox is not a gone contact', () => {
  it('ResourceNotFound is the subscription itself on app-wide routes', () => {
    expect(classifyGraphError(404, 'ResourceNotFound', { scope: 'app' })).toBe('notFound');
    expect(classifyGraphError(404, 'ResourceNotFound', { scope: 'mailbox' })).toBe('mailboxUnavailable');
  });

  it('403 of an application access policy is mailboxUnavailable, 403 of missing consent stays auth', () => {
    // learn.microsoft.com/graph/auth-limit-mailbox-access "Handling API errors"; the RAOP text
    // as tenants see it, and the ExtensionError variant on subscriptions (msgraph-sdk-java#510).
    const policy =
      'Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.';
    expect(classifyGraphError(403, 'ErrorAccessDenied', { message: policy })).toBe('mailboxUnavailable');
    const onSubscription =
      'Operation: Create; Exception: [Status Code: Forbidden; Reason: Access to OData is disabled.]';
    expect(classifyGraphError(403, 'ExtensionError', { message: onSubscription, scope: 'app' })).toBe(
      'mailboxUnavailable',
    );
    const consent = 'Access is denied. Check credentials and try again.';
    expect(classifyGraphError(403, 'ErrorAccessDenied', { message: consent })).toBe('auth');
  });
});

describe('toSyncError', () => {
  function graphError(status: number, code: string, message: string): GraphError {
    const error = new GraphError(status, message);
    error.code = code;
    return error;
  }

  it('keeps status and code and names the call', () => {
    const error = toSyncError(
      graphError(412, 'ErrorIrresolvableConflict', 'change key mismatch'),
      'PATCH /x',
    );
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ kind: 'conflict', code: 'ErrorIrresolvableConflict', status: 412 });
    expect(error.message).toBe('PATCH /x failed with 412 ErrorIrresolvableConflict: change key mismatch');
  });

  it('never carries a token or a secret in its message', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const leaky = `bad header Authorization: Bearer ${jwt} and client_secret=s3cr3t&x=1`;
    const error = toSyncError(graphError(401, 'InvalidAuthenticationToken', leaky));
    expect(error.message).not.toContain(jwt);
    expect(error.message).not.toContain('s3cr3t');
    expect(error.cause).toBeUndefined();
    const plain = toSyncError(new Error(`token ${jwt}`));
    expect(plain).toMatchObject({ kind: 'transient', code: 'unexpected' });
    expect(plain.message).not.toContain(jwt);
  });

  it('maps a network failure (status -1) to transient and credential errors to auth', () => {
    expect(toSyncError(graphError(-1, 'TypeError', 'fetch failed'))).toMatchObject({
      kind: 'transient',
      status: undefined,
    });
    const credential = new Error('AADSTS7000215: Invalid client secret provided.');
    credential.name = 'AuthenticationError';
    expect(toSyncError(credential)).toMatchObject({ kind: 'auth', code: 'AuthenticationError' });
  });

  it('reads the message of a 403 and the scope of a 404', () => {
    const policy = graphError(
      403,
      'ErrorAccessDenied',
      'Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.',
    );
    expect(toSyncError(policy, 'GET /x')).toMatchObject({ kind: 'mailboxUnavailable', status: 403 });
    const gone = graphError(404, 'ResourceNotFound', 'The object was not found.');
    expect(toSyncError(gone, 'GET /subscriptions/{id}', 'app')).toMatchObject({ kind: 'notFound' });
    expect(toSyncError(gone, 'GET /users/{m}/contacts/{id}')).toMatchObject({ kind: 'mailboxUnavailable' });
  });

  it('passes a SyncError through unchanged', () => {
    const original = new SyncError('invalid', 'x', 'y');
    expect(toSyncError(original)).toBe(original);
  });
});
