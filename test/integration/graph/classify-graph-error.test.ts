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

  it('passes a SyncError through unchanged', () => {
    const original = new SyncError('invalid', 'x', 'y');
    expect(toSyncError(original)).toBe(original);
  });
});
