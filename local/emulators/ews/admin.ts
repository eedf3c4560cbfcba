import type { EwsStore, Item, Mailbox } from './store.js';
import { type ContactData, emptyData } from './store.js';

/**
 * What only a person or the Exchange administrator can do: mailboxes with their logins, the
 * edits an Outlook user makes (create, edit, move, delete), and faults on demand.
 */
export type Fault =
  | { kind: 'serverBusy'; backOffMs: number; operation?: string; count?: number }
  | { kind: 'invalidSyncState'; operation?: string; count?: number }
  | { kind: 'timeout'; delayMs: number; operation?: string; count?: number };

export interface LoggedRequest {
  at: string;
  path: string;
  operation: string | null;
  status: number;
  /** The ResponseCode of every response message (or the fault code). */
  codes: string[];
  user: string | null;
}

export interface ContactInput {
  fields?: Record<string, string>;
  emails?: Record<string, string>;
  phones?: Record<string, string>;
  addresses?: Record<string, Record<string, string>>;
}

export interface CreateMailboxInput {
  smtp: string;
  user?: string;
  domain?: string;
  password?: string;
}

export class EwsAdmin {
  readonly faults: (Fault & { left: number })[] = [];
  readonly log: LoggedRequest[] = [];
  authMode: 'ntlm' | 'basic' = 'ntlm';
  /** EWS requests being served now, and the most at once since the last reset (per server). */
  inFlight = 0;
  /** Added to every EWS answer (a slow server), so concurrency can be seen. */
  latencyMs = 0;
  maxInFlight = 0;

  constructor(
    private readonly store: EwsStore,
    private readonly now: () => Date,
  ) {}

  reset(): void {
    this.store.reset();
    this.faults.length = 0;
    this.log.length = 0;
    this.maxInFlight = 0;
    this.latencyMs = 0;
  }

  createMailbox(input: CreateMailboxInput): Mailbox {
    return this.store.createMailbox({
      smtp: input.smtp,
      user: input.user ?? input.smtp.split('@')[0] ?? input.smtp,
      domain: input.domain ?? 'CONTOSO',
      password: input.password ?? 'Passw0rd!',
    });
  }

  mailbox(smtp: string): Mailbox {
    const mailbox = this.store.mailboxes.get(smtp.toLowerCase());
    if (!mailbox) throw new Error(`no mailbox ${smtp}`);
    return mailbox;
  }

  folderId(smtp: string, distinguished: string): string {
    const folder = this.store.folder(this.mailbox(smtp), { distinguished });
    if (!folder) throw new Error(`no folder ${distinguished}`);
    return folder.id;
  }

  addFolder(smtp: string, displayName: string, parent = 'contacts'): string {
    return this.store.addFolder(this.mailbox(smtp), this.folderId(smtp, parent), displayName, 'IPF.Contact')
      .id;
  }

  contacts(smtp: string): Item[] {
    return [...this.mailbox(smtp).items.values()];
  }

  /** An Outlook user creates a contact (default: in Contacts). */
  outlookCreate(smtp: string, input: ContactInput, folderId?: string): Item {
    const data: ContactData = { ...emptyData(), ...structuredClone(input), extended: {} };
    data.fields['ItemClass'] ??= 'IPM.Contact';
    return this.store.createItem(
      this.mailbox(smtp),
      folderId ?? this.folderId(smtp, 'contacts'),
      data,
      this.now(),
    );
  }

  /** An Outlook user edits a contact: the given entries replace, an empty string removes. */
  outlookEdit(smtp: string, id: string, input: ContactInput): Item {
    const item = this.item(smtp, id);
    const apply = (target: Record<string, string>, patch: Record<string, string> | undefined) => {
      for (const [k, v] of Object.entries(patch ?? {})) {
        if (v === '') delete target[k];
        else target[k] = v;
      }
    };
    apply(item.data.fields, input.fields);
    apply(item.data.emails, input.emails);
    apply(item.data.phones, input.phones);
    for (const [k, v] of Object.entries(input.addresses ?? {})) item.data.addresses[k] = { ...v };
    this.store.touch(item, this.now());
    return item;
  }

  outlookMove(smtp: string, id: string, folderId: string): Item {
    return this.store.moveItem(this.mailbox(smtp), this.item(smtp, id), folderId, this.now());
  }

  /** Delete in Outlook: into Deleted Items (a new id there), or for good with `hard`. */
  outlookDelete(smtp: string, id: string, hard = false): void {
    const mailbox = this.mailbox(smtp);
    const item = this.item(smtp, id);
    if (hard) this.store.deleteItem(mailbox, item);
    else this.store.moveItem(mailbox, item, this.folderId(smtp, 'deleteditems'), this.now());
  }

  /** Exchange drops sync states (mailbox move, cache eviction): every stored one is now invalid. */
  expireSyncStates(smtp: string): void {
    this.mailbox(smtp).syncStates.clear();
  }

  addFault(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.count ?? 1 });
  }

  takeFault(operation: string): Fault | undefined {
    const index = this.faults.findIndex(
      (f) => f.left > 0 && (f.operation === undefined || f.operation === operation),
    );
    const fault = this.faults[index];
    if (!fault) return undefined;
    fault.left -= 1;
    if (fault.left === 0) this.faults.splice(index, 1);
    return fault;
  }

  requests(): { items: LoggedRequest[]; byOperation: Record<string, number> } {
    const byOperation: Record<string, number> = {};
    for (const r of this.log) if (r.operation) byOperation[r.operation] = (byOperation[r.operation] ?? 0) + 1;
    return { items: [...this.log], byOperation };
  }

  private item(smtp: string, id: string): Item {
    const item = this.mailbox(smtp).items.get(id);
    if (!item) throw new Error(`no item ${id}`);
    return item;
  }
}
