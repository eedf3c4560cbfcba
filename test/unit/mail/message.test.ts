import { describe, expect, it } from 'vitest';
import { graphMessageSchema, headerValue, parseDeltaEntry } from '../../../shared/mail/message.js';
import { message } from './fixtures.js';

describe('the Graph message at the edge', () => {
  it('accepts the delta items of "Get incremental changes to messages in a folder" ($select=subject,sender,isRead)', () => {
    // Verbatim shape of the page's sample initial response item.
    const raw = {
      '@odata.type': '#microsoft.graph.message',
      '@odata.etag': 'W/"CQAAABYAAAARn2vdzPFjSbaPPxzjlzOTAAASsKZz"',
      subject: 'Holiday hours update',
      isRead: false,
      sender: { emailAddress: { name: 'Dana Swope', address: 'danas@contoso.com' } },
      id: 'AAMkADNkNAAASq35xAAA=',
    };
    const entry = parseDeltaEntry(raw);
    expect(entry.kind).toBe('message');
    if (entry.kind === 'message') expect(entry.message['isRead']).toBe(false); // unknown fields pass through
  });

  it('reads @removed entries as removals', () => {
    const entry = parseDeltaEntry({
      '@odata.type': '#microsoft.graph.message',
      id: 'AAMkADk0MGFkODE3LWE4MmYtNDRhOS0Dh_6qB-pB2Sa2pUum19a6YAAKnLuxoAAA=',
      '@removed': { reason: 'deleted' },
    });
    expect(entry).toEqual({
      kind: 'removed',
      id: 'AAMkADk0MGFkODE3LWE4MmYtNDRhOS0Dh_6qB-pB2Sa2pUum19a6YAAKnLuxoAAA=',
      reason: 'deleted',
    });
  });

  it('reports bad items with a reason instead of throwing', () => {
    expect(parseDeltaEntry({ id: 'x', receivedDateTime: 'yesterday' })).toMatchObject({
      kind: 'invalid',
      id: 'x',
      reason: expect.stringContaining('receivedDateTime'),
    });
    expect(parseDeltaEntry('nope')).toMatchObject({ kind: 'invalid', id: null });
    expect(parseDeltaEntry({ subject: 'no id' })).toMatchObject({ kind: 'invalid', id: null });
  });

  it('accepts every field issue 17 lists, nulls included', () => {
    const full = message({ internetMessageHeaders: [{ name: 'List-Id', value: '<news.example>' }] });
    expect(graphMessageSchema.parse(full)).toEqual(full);
    expect(graphMessageSchema.safeParse({ ...full, toRecipients: null, subject: null }).success).toBe(true);
    expect(headerValue(full, 'list-id')).toBe('<news.example>');
    expect(headerValue(full, 'List-Unsubscribe')).toBeUndefined();
  });
});
