import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CrmContact } from '../../../shared/contact/crm-contact.js';
import {
  columnsFor,
  computeMaxCounts,
  contactsCsvReadable,
  writeContactsCsv,
} from '../../../shared/export/index.js';
import { contact, iterate } from './csv-support.js';

const TOTAL = 100_000;
/** Rows buffered between generator and sink (object buffers + the stringifier's and sink's byte buffers). */
const MAX_LEAD = 1_000;

function generated(index: number): CrmContact {
  return contact({
    id: `c-${index}`,
    firstName: `Vorname ${index}`,
    lastName: `Nachname, "${index}"`,
    emails: [{ address: `p${index}@example.de`, type: index % 2 ? 'business' : null }],
    phones: [{ number: `+49 30 ${1_000_000 + index}`, type: 'business' }],
    notes: index % 10 === 0 ? `Zeile 1\nZeile 2 von ${index}` : null,
  });
}

/** A sink that counts records (CRLFs outside quotes are all CRLFs here: notes use bare \n). */
function countingSink() {
  const state = { records: 0, bytes: 0 };
  const sink = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _encoding, done) {
      state.bytes += chunk.length;
      for (let at = chunk.indexOf('\r\n'); at !== -1; at = chunk.indexOf('\r\n', at + 2)) state.records++;
      // Asynchronous like a socket, so back-pressure, not a synchronous drain, paces the writer.
      setImmediate(done);
    },
  });
  return { sink, state };
}

describe('writeContactsCsv streaming', () => {
  it(`writes ${TOTAL.toLocaleString('en')} contacts while pulling them lazily`, async () => {
    const { sink, state } = countingSink();
    let produced = 0;
    let maxLead = 0;
    async function* contacts(): AsyncGenerator<CrmContact> {
      for (let i = 0; i < TOTAL; i++) {
        // records written so far include the header row
        maxLead = Math.max(maxLead, produced - Math.max(0, state.records - 1));
        produced++;
        yield generated(i);
      }
    }
    await writeContactsCsv(contacts(), sink, {
      maxCounts: { emails: 0, phones: 0, websites: 0, addresses: 0 },
    });
    expect(produced).toBe(TOTAL);
    expect(state.records).toBe(TOTAL + 1);
    expect(maxLead).toBeLessThanOrEqual(MAX_LEAD);
    expect(sink.writableFinished).toBe(true);
  }, 60_000);

  it('counts the columns in a first pass, then writes in a second', async () => {
    const items = [
      contact({ emails: Array.from({ length: 6 }, (_, i) => ({ address: `e${i}@x.de`, type: null })) }),
      contact({
        websites: [
          { url: 'a', type: null },
          { url: 'b', type: null },
        ],
        addresses: [],
      }),
    ];
    const counts = await computeMaxCounts(iterate(items));
    expect(counts).toEqual({ emails: 3, phones: 0, websites: 1, addresses: 0 });
    const { sink, state } = countingSink();
    await writeContactsCsv(iterate(items), sink, { maxCounts: counts });
    expect(state.records).toBe(3);
    expect(columnsFor(counts)).toContain('E-mail 6 Address');
  });

  it('ends the readable with the error when the source fails', async () => {
    async function* failing(): AsyncGenerator<CrmContact> {
      yield generated(1);
      throw new Error('CRM went away');
    }
    const readable = contactsCsvReadable(failing(), {
      maxCounts: { emails: 0, phones: 0, websites: 0, addresses: 0 },
    });
    await expect(async () => {
      for await (const _chunk of readable) {
        // drain
      }
    }).rejects.toThrow('CRM went away');
  });
});
