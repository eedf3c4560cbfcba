import { afterAll, beforeAll, inject } from 'vitest';
import { type RunningEwsEmulator, startEwsEmulator } from '../../local/emulators/ews/index.js';
import { EwsExchangeMail } from '../../shared/adapters/ews/mail/ews-exchange-mail.js';
import { mailContract } from './mail.contract.js';

/** The mail contract against the EWS adapter over the EWS emulator, signed in as each mailbox's user (NTLM). */
let emulator: RunningEwsEmulator;
let exchange: EwsExchangeMail;
const OWNER = 'max@makler.example';
const COLLEAGUE = 'eva@makler.example';
const LOGINS: Record<string, { user: string; password: string }> = {
  [OWNER]: { user: 'max', password: 'S3cret-Max!' },
  [COLLEAGUE]: { user: 'eva', password: 'S3cret-Eva!' },
};

beforeAll(async () => {
  emulator = await startEwsEmulator({ tlsDir: inject('tlsDir'), port: 0 });
  exchange = new EwsExchangeMail({
    pageSize: 2,
    connect: (mailbox) => {
      const login = LOGINS[mailbox];
      if (!login) throw new Error(`no login for ${mailbox}`);
      return {
        url: emulator.ewsUrl,
        credentials: { username: `MAKLER\\${login.user}`, password: login.password },
        ca: emulator.caPem,
      };
    },
  });
});
afterAll(async () => {
  exchange.close();
  await emulator.stop();
});

mailContract('EWS adapter against the EWS emulator', () => ({
  exchange,
  owner: OWNER,
  colleague: COLLEAGUE,
  reset: () => {
    emulator.admin.reset();
    for (const [smtp, login] of Object.entries(LOGINS)) {
      emulator.admin.createMailbox({ smtp, user: login.user, domain: 'MAKLER', password: login.password });
      emulator.mail.setProfile(smtp, { displayName: smtp === OWNER ? 'Max Makler' : 'Eva Makler' });
    }
  },
  setAliases: (mailbox, aliases) => emulator.mail.setProfile(mailbox, { aliases }),
  addFolder: (mailbox, displayName, parent) => emulator.mail.addFolder(mailbox, displayName, parent),
  receive: async (mailbox, m) => {
    const item = emulator.mail.receive(mailbox, {
      subject: m.subject,
      ...(m.from ? { from: m.from } : {}),
      body: m.bodyHtml ? { type: 'HTML', content: m.bodyHtml } : { type: 'Text', content: 'Guten Tag' },
      headers: m.headers ?? [],
      categories: m.categories ?? [],
      attachments: m.attachments ?? [],
      ...(m.meetingRequest ? { itemClass: 'IPM.Schedule.Meeting.Request' } : {}),
      ...(m.folder ? { folder: m.folder } : {}),
    });
    return { id: item.id, internetMessageId: item.data.internetMessageId };
  },
  send: async (from, m) => {
    const to = (list: string[] | undefined) => (list ?? []).map((address) => ({ address }));
    emulator.mail.send(from, {
      to: to(m.to),
      cc: to(m.cc),
      bcc: to(m.bcc),
      subject: m.subject,
      body: { type: 'Text', content: m.text },
    });
  },
  outlookDelete: (mailbox, id) => {
    emulator.mail.delete(mailbox, id);
  },
  outlookCategorize: (mailbox, id, categories) => {
    emulator.mail.categorize(mailbox, id, categories);
  },
  outlookMove: (mailbox, id, folderId) => {
    emulator.mail.move(mailbox, id, folderId);
  },
  expireSyncStates: (mailbox) => emulator.admin.expireSyncStates(mailbox),
}));
