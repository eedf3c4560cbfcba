import { z } from 'zod';
import { type EwsStore, type Mailbox, newChangeKey } from '../store.js';
import {
  type MailItem,
  type MessageData,
  mailFolder,
  mailOf,
  moveMessage,
  newConversationId,
  newInternetMessageId,
  putMessage,
  removeMessage,
  touchMessage,
} from './mail-store.js';

/**
 * What the outside world and an Outlook user do to the emulator's mail: mail from outside
 * into a folder (Inbox by default), mail sent between the emulator's mailboxes (the sender's
 * Sent Items copy with its Bcc, one Inbox copy per recipient mailbox without it, all with the
 * same InternetMessageId and ConversationId, as Exchange delivers within an organisation),
 * moves (a new ItemId), deletes (into Deleted Items, or for good), categories, the read flag,
 * folders, and the directory's proxy addresses and display name.
 */
const address = z.object({ address: z.string().min(3), name: z.string().optional() }).strict();

export const incomingSchema = z
  .object({
    from: address.default({ address: 'anna@kunde.example', name: 'Anna Kunde' }),
    to: z.array(address).optional(),
    cc: z.array(address).default([]),
    bcc: z.array(address).default([]),
    subject: z.string().default(''),
    body: z
      .object({ type: z.enum(['HTML', 'Text']), content: z.string() })
      .strict()
      .default({ type: 'Text', content: '' }),
    internetMessageId: z.string().min(1).optional(),
    conversationId: z.string().min(1).optional(),
    headers: z.array(z.object({ name: z.string().min(1), value: z.string() }).strict()).default([]),
    categories: z.array(z.string()).default([]),
    attachments: z
      .array(
        z
          .object({
            name: z.string().min(1),
            contentType: z.string().min(1),
            size: z.number().int().nonnegative(),
          })
          .strict(),
      )
      .default([]),
    itemClass: z.string().min(3).default('IPM.Note'),
    sent: z.iso.datetime({ offset: true }).optional(),
    received: z.iso.datetime({ offset: true }).optional(),
    isRead: z.boolean().default(false),
    /** DistinguishedFolderId name or folder id; Inbox by default. */
    folder: z.string().min(1).default('inbox'),
  })
  .strict();
export type IncomingMail = z.input<typeof incomingSchema>;

export const sendSchema = z
  .object({
    to: z.array(address).default([]),
    cc: z.array(address).default([]),
    bcc: z.array(address).default([]),
    subject: z.string().default(''),
    body: z
      .object({ type: z.enum(['HTML', 'Text']), content: z.string() })
      .strict()
      .default({ type: 'Text', content: '' }),
    headers: z.array(z.object({ name: z.string().min(1), value: z.string() }).strict()).default([]),
    attachments: incomingSchema.shape.attachments,
    /** Answering a message: its ConversationId. */
    conversationId: z.string().min(1).optional(),
  })
  .strict();
export type OutgoingMail = z.input<typeof sendSchema>;

export class EwsMailAdmin {
  constructor(
    private readonly store: EwsStore,
    private readonly now: () => Date,
  ) {}

  /** The directory entry: display name and SMTP proxy addresses besides the primary one. */
  setProfile(smtp: string, profile: { displayName?: string; aliases?: string[] }): void {
    const state = mailOf(this.mailbox(smtp));
    if (profile.displayName !== undefined) state.displayName = profile.displayName;
    if (profile.aliases !== undefined) state.aliases = [...profile.aliases];
  }

  receive(smtp: string, input: IncomingMail): MailItem {
    const mailbox = this.mailbox(smtp);
    const m = incomingSchema.parse(input);
    const folder = this.folder(mailbox, m.folder);
    const at = this.now().toISOString();
    const state = mailOf(mailbox);
    const data: MessageData = {
      itemClass: m.itemClass,
      internetMessageId: m.internetMessageId ?? newInternetMessageId(m.from.address.split('@')[1] ?? 'ext'),
      conversationId: m.conversationId ?? newConversationId(),
      subject: m.subject,
      from: m.from,
      to: m.to ?? [{ address: mailbox.smtp, name: state.displayName }],
      cc: m.cc,
      bcc: m.bcc,
      sent: m.sent ?? m.received ?? at,
      received: m.received ?? at,
      body: m.body,
      categories: m.categories,
      headers: m.headers,
      attachments: m.attachments,
      isDraft: false,
      isRead: m.isRead,
    };
    return putMessage(this.store, mailbox, folder, data, this.now());
  }

  /** Mail sent by `smtp` from Outlook: the Sent Items copy and one Inbox copy per recipient mailbox. */
  send(smtp: string, input: OutgoingMail): { sent: MailItem; delivered: { smtp: string; item: MailItem }[] } {
    const mailbox = this.mailbox(smtp);
    const m = sendSchema.parse(input);
    const at = this.now().toISOString();
    const from = { address: mailbox.smtp, name: mailOf(mailbox).displayName };
    const base: MessageData = {
      itemClass: 'IPM.Note',
      internetMessageId: newInternetMessageId(mailbox.smtp.split('@')[1] ?? 'local'),
      conversationId: m.conversationId ?? newConversationId(),
      subject: m.subject,
      from,
      to: m.to,
      cc: m.cc,
      bcc: m.bcc,
      sent: at,
      received: at,
      body: m.body,
      categories: [],
      headers: m.headers,
      attachments: m.attachments,
      isDraft: false,
      isRead: true,
    };
    const sent = putMessage(this.store, mailbox, this.folder(mailbox, 'sentitems'), base, this.now());
    const delivered: { smtp: string; item: MailItem }[] = [];
    const seen = new Set<Mailbox>();
    for (const r of [...m.to, ...m.cc, ...m.bcc]) {
      const target = this.byAddress(r.address);
      if (!target || seen.has(target)) continue;
      seen.add(target);
      const copy: MessageData = { ...structuredClone(base), bcc: [], isRead: false };
      const item = putMessage(this.store, target, this.folder(target, 'inbox'), copy, this.now());
      delivered.push({ smtp: target.smtp, item });
    }
    return { sent, delivered };
  }

  move(smtp: string, id: string, folder: string): MailItem {
    const mailbox = this.mailbox(smtp);
    return moveMessage(
      this.store,
      mailbox,
      this.message(mailbox, id),
      this.folder(mailbox, folder),
      this.now(),
    );
  }

  /** Delete in Outlook: into Deleted Items (a new id there); for good with `hard` or from Deleted Items. */
  delete(smtp: string, id: string, hard = false): MailItem | null {
    const mailbox = this.mailbox(smtp);
    const item = this.message(mailbox, id);
    const trash = this.folder(mailbox, 'deleteditems');
    if (hard || item.folderId === trash) {
      removeMessage(this.store, mailbox, item);
      return null;
    }
    return moveMessage(this.store, mailbox, item, trash, this.now());
  }

  categorize(smtp: string, id: string, categories: string[]): MailItem {
    const item = this.message(this.mailbox(smtp), id);
    item.data = { ...item.data, categories: [...categories] };
    touchMessage(this.store, item);
    return item;
  }

  /** The read flag: a new ChangeKey, reported by SyncFolderItems as a ReadFlagChange only. */
  markRead(smtp: string, id: string, isRead: boolean): MailItem {
    const item = this.message(this.mailbox(smtp), id);
    item.data = { ...item.data, isRead };
    item.changeKey = newChangeKey();
    item.readSeq = this.store.nextSeq();
    return item;
  }

  addFolder(smtp: string, displayName: string, parent = 'msgfolderroot'): string {
    const mailbox = this.mailbox(smtp);
    const parentFolder =
      this.store.folder(mailbox, { distinguished: parent }) ?? this.store.folder(mailbox, { id: parent });
    if (!parentFolder) throw new Error(`no folder ${parent}`);
    return this.store.addFolder(mailbox, parentFolder.id, displayName, 'IPF.Note').id;
  }

  messages(smtp: string): (MailItem & { folder: string })[] {
    const mailbox = this.mailbox(smtp);
    return [...mailOf(mailbox).messages.values()].map((m) => {
      const f = mailbox.folders.get(m.folderId);
      return { ...m, folder: f?.distinguished ?? f?.displayName ?? '' };
    });
  }

  private mailbox(smtp: string): Mailbox {
    const mailbox = this.store.mailboxes.get(smtp.toLowerCase());
    if (!mailbox) throw new Error(`no mailbox ${smtp}`);
    return mailbox;
  }

  private byAddress(address: string): Mailbox | undefined {
    const a = address.toLowerCase();
    return [...this.store.mailboxes.values()].find(
      (m) => m.smtp.toLowerCase() === a || mailOf(m).aliases.some((x) => x.toLowerCase() === a),
    );
  }

  private folder(mailbox: Mailbox, idOrName: string): string {
    const folder = mailFolder(this.store, mailbox, idOrName);
    if (!folder) throw new Error(`no mail folder ${idOrName}`);
    return folder.id;
  }

  private message(mailbox: Mailbox, id: string): MailItem {
    const item = mailOf(mailbox).messages.get(id);
    if (!item) throw new Error(`no message ${id}`);
    return item;
  }
}
