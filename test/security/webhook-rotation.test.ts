import { describe, expect, it } from 'vitest';
import { signCrmEvent, verifyCrmSignature } from '../../shared/adapters/crm/signature.js';

/**
 * CRM webhook secret rotation without a gap (issue 15, DEPLOY.md "Rotate the CRM webhook
 * secret"): while CRM_WEBHOOK_SECRET_PREVIOUS is set, deliveries signed with either secret pass;
 * once it is removed, only the current one does.
 */
const body =
  '{"eventId":"e1","type":"contact.updated","contactId":"c1","version":2,"occurredAt":"2025-01-01T00:00:00Z"}';
const now = new Date('2025-03-01T12:00:00Z');
const ts = String(Math.floor(now.getTime() / 1000));
const check = (secrets: string[], signedWith: string) =>
  verifyCrmSignature({
    secret: secrets,
    timestamp: ts,
    signature: signCrmEvent(signedWith, ts, body),
    rawBody: body,
    now,
  });

describe('CRM webhook secret rotation', () => {
  it('accepts the current and the previous secret while both are configured', () => {
    expect(check(['new-secret', 'old-secret'], 'new-secret')).toEqual({ ok: true });
    expect(check(['new-secret', 'old-secret'], 'old-secret')).toEqual({ ok: true });
  });

  it('refuses the old secret once the previous one is dropped, and any other secret always', () => {
    expect(check(['new-secret'], 'old-secret')).toEqual({ ok: false, reason: 'mismatch' });
    expect(check(['new-secret', 'old-secret'], 'guess')).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('never accepts an empty secret list', () => {
    expect(check([], '')).toEqual({ ok: false, reason: 'mismatch' });
  });
});
