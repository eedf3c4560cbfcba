import type { GraphMessage } from '../../../shared/mail/message.js';

/** Graph messages as delta returns them, built field by field for the mail rule tests. */

export const who = (address: string, name: string | null = null) => ({ emailAddress: { address, name } });

export function message(overrides: Partial<GraphMessage> = {}): GraphMessage {
  return {
    id: 'AAMkADmsg1',
    '@odata.type': '#microsoft.graph.message',
    '@odata.etag': 'W/"CQAAABYAAAARn2vdzPFjSbaPPxzjlzOTAAASsKZz"',
    internetMessageId: '<abc123@mail.kunde.example>',
    conversationId: 'AAQkADconv1',
    from: who('anna@kunde.example', 'Anna Kunde'),
    sender: who('anna@kunde.example', 'Anna Kunde'),
    toRecipients: [who('max@makler.example', 'Max Makler')],
    ccRecipients: [],
    bccRecipients: [],
    subject: 'Besichtigung Freitag',
    sentDateTime: '2025-03-01T09:59:00Z',
    receivedDateTime: '2025-03-01T10:00:00Z',
    bodyPreview: 'Guten Tag, passt Freitag?',
    hasAttachments: false,
    categories: [],
    isDraft: false,
    internetMessageHeaders: [],
    parentFolderId: 'AAMkADinbox',
    ...overrides,
  };
}

export const OWNER = new Set(['max@makler.example', 'm.makler@makler-alias.example']);
