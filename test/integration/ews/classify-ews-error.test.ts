import { describe, expect, it } from 'vitest';
import {
  classifyEwsError,
  EwsThrottledError,
  ewsError,
} from '../../../shared/adapters/ews/classify-ews-error.js';

describe('classifyEwsError (issue 18 item 6)', () => {
  it('maps the codes Exchange sends to the error kinds', () => {
    expect(classifyEwsError('ErrorServerBusy')).toBe('throttled');
    expect(classifyEwsError('ErrorInvalidSyncStateData')).toBe('deltaExpired');
    expect(classifyEwsError('ErrorItemNotFound')).toBe('notFound');
    expect(classifyEwsError('ErrorSyncFolderNotFound')).toBe('notFound');
    expect(classifyEwsError('ErrorIrresolvableConflict')).toBe('conflict');
    expect(classifyEwsError('ErrorSchemaValidation')).toBe('invalid');
    expect(classifyEwsError('ErrorMailboxMoveInProgress')).toBe('mailboxUnavailable');
  });

  it('treats an unknown code as temporary', () => {
    expect(classifyEwsError('ErrorSomethingNew')).toBe('transient');
  });

  it('carries BackOffMilliseconds, or a minute when none came', () => {
    expect(ewsError('ErrorServerBusy', '', 'GetItem', 250)).toMatchObject({
      retryAfterMs: 250,
      kind: 'throttled',
    });
    const fallback = ewsError('ErrorServerBusy', '', 'GetItem');
    expect(fallback).toBeInstanceOf(EwsThrottledError);
    expect((fallback as EwsThrottledError).retryAfterMs).toBe(60_000);
  });
});
