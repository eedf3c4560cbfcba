import type { ExchangeContact, ExchangeFields } from '../../contact/exchange-contact.js';
import type { BatchItemResult } from './contact-batch.js';
import { graphWriteBody, readContact, readNeedsZone, writeNeedsZone } from './contact-writes.js';
import type { MailboxTimeZones } from './mailbox-time-zone.js';

/**
 * The adapter's edge for one mailbox's contacts, both ways (contact-writes.ts): bodies to write
 * and contacts read, with birthdays in the mailbox's time zone. The zone is read only when a
 * birthday is there to convert, so most calls cost no extra request.
 */
export class ZonedContacts {
  constructor(private readonly zones: MailboxTimeZones) {}

  async body(
    mailbox: string,
    fields: Partial<ExchangeFields>,
    current: ExchangeContact | undefined,
  ): Promise<Record<string, unknown>> {
    const zone = writeNeedsZone(fields) ? await this.zones.zoneOf(mailbox) : null;
    return graphWriteBody(fields, { zone, current });
  }

  async read(mailbox: string, contacts: ExchangeContact[]): Promise<ExchangeContact[]> {
    if (!contacts.some(readNeedsZone)) return contacts;
    const zone = await this.zones.zoneOf(mailbox);
    return contacts.map((contact) => readContact(contact, zone));
  }

  async readOne(mailbox: string, contact: ExchangeContact): Promise<ExchangeContact> {
    const [read] = await this.read(mailbox, [contact]);
    return read ?? contact;
  }

  async readResults(mailbox: string, results: BatchItemResult[]): Promise<BatchItemResult[]> {
    const contacts = await this.read(
      mailbox,
      results.flatMap((r) => (r.ok ? [r.contact] : [])),
    );
    let next = 0;
    return results.map((r) => (r.ok ? { ok: true, contact: contacts[next++] ?? r.contact } : r));
  }
}
