import type { Client } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, inject } from 'vitest';
import { type RunningGraphEmulator, startGraphEmulator } from '../../local/emulators/graph/index.js';
import { GraphExchangeMail } from '../../shared/adapters/graph/mail/graph-exchange-mail.js';
import { emulatorAdmin, person, receiveMail } from '../integration/graph/mail/support.js';
import { clientFor } from '../integration/graph/support.js';
import { mailContract } from './mail.contract.js';

/** The same mail contract against the Graph adapter over the Graph emulator. */
let emulator: RunningGraphEmulator;
let exchange: GraphExchangeMail;
let client: Client;
const OWNER = 'max@makler.example';
const COLLEAGUE = 'eva@makler.example';

beforeAll(async () => {
  emulator = await startGraphEmulator({ tlsDir: inject('tlsDir'), port: 0 });
  client = clientFor(emulator);
  exchange = new GraphExchangeMail({ client, pageSize: 2 });
});
afterAll(() => emulator.stop());

const recipients = (list: string[] | undefined) => (list ?? []).map((a) => person(a));

mailContract('Graph adapter against the Graph emulator', () => ({
  exchange,
  owner: OWNER,
  colleague: COLLEAGUE,
  reset: () => {
    emulator.admin.reset();
    emulator.admin.createMailbox({ mail: OWNER, displayName: 'Max Makler' });
    emulator.admin.createMailbox({ mail: COLLEAGUE, displayName: 'Eva Makler' });
  },
  setAliases: async (mailbox, aliases) => {
    const put = await emulatorAdmin(emulator, 'PUT', `/users/${mailbox}/proxyAddresses`, {
      proxyAddresses: [`SMTP:${mailbox}`, ...aliases.map((a) => `smtp:${a}`)],
    });
    if (put.status !== 204) throw new Error(`proxyAddresses: ${put.status}`);
  },
  addFolder: async (mailbox, displayName, parent) => {
    const url = parent
      ? `/users/${mailbox}/mailFolders/${parent}/childFolders`
      : `/users/${mailbox}/mailFolders`;
    return String((await client.api(url).post({ displayName }))['id']);
  },
  receive: async (mailbox, m) => {
    const received = await receiveMail(emulator, mailbox, {
      subject: m.subject,
      ...(m.from ? { from: person(m.from.address, m.from.name) } : {}),
      ...(m.bodyHtml ? { body: { contentType: 'html', content: m.bodyHtml } } : {}),
      internetMessageHeaders: m.headers ?? [],
      categories: m.categories ?? [],
      ...(m.attachments ? { attachments: m.attachments, hasAttachments: true } : {}),
      ...(m.meetingRequest ? { '@odata.type': '#microsoft.graph.eventMessageRequest' } : {}),
      ...(m.folder ? { folder: m.folder } : {}),
    });
    return { id: received.immutableId, internetMessageId: received.internetMessageId };
  },
  send: async (from, m) => {
    await client.api(`/users/${from}/sendMail`).post({
      message: {
        subject: m.subject,
        body: { contentType: 'text', content: m.text },
        toRecipients: recipients(m.to),
        ccRecipients: recipients(m.cc),
        bccRecipients: recipients(m.bcc),
      },
    });
  },
  outlookDelete: async (mailbox, id) => {
    await client.api(`/users/${mailbox}/messages/${id}`).delete();
  },
  outlookCategorize: async (mailbox, id, categories) => {
    await client.api(`/users/${mailbox}/messages/${id}`).patch({ categories });
  },
  outlookMove: async (mailbox, id, folderId) => {
    await client.api(`/users/${mailbox}/messages/${id}/move`).post({ destinationId: folderId });
  },
  expireSyncStates: (mailbox) => emulator.admin.fault({ kind: 'expireDeltaTokens', mailbox }),
}));
