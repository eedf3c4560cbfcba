import { crmContacts } from '../../local/demo/data.js';
import type { CrmContactInput } from '../../shared/contact/crm-contact.js';
import type { ExchangeFields } from '../../shared/contact/exchange-contact.js';
import { merge, projectToExchange } from '../../shared/contact/index.js';
import type { Scenario } from '../support/figure.js';
import { now } from '../support/measure.js';

const CONTACTS = 2_000;
const ROUNDS = 7;
const OPTIONS = { defaultCountry: 'DE' };

interface Case {
  crm: CrmContactInput;
  base: ExchangeFields;
  exchange: ExchangeFields;
}

/**
 * The pure contact core on the hot path of every sync: projectToExchange of a CRM contact,
 * then a three-way merge against an Outlook edit. The same contacts also go through
 * JSON.parse(JSON.stringify()) — the cheapest thing any sync must do with a contact — and the
 * rounds alternate, so the ratio holds even when other work shares the CPU.
 */
export const mappingThroughput: Scenario = {
  name: 'mapping',
  async run() {
    const cases: Case[] = crmContacts(CONTACTS, 3).map((crm, i) => {
      const base = projectToExchange(crm, OPTIONS).fields;
      return { crm, base, exchange: { ...base, jobTitle: `Makler ${i}`, givenName: `${base.givenName}-x` } };
    });
    const changedAt = new Date('2025-05-01T10:00:00Z');
    const later = new Date('2025-05-01T10:05:00Z');
    let sink = 0;
    const mapping = () => {
      for (const c of cases) {
        const projected = projectToExchange(c.crm, OPTIONS);
        const merged = merge({
          base: c.base,
          crm: c.crm,
          exchange: c.exchange,
          crmChangedAt: changedAt,
          exchangeChangedAt: later,
          defaultCountry: 'DE',
        });
        sink += projected.keptBack.length + merged.conflicts.length;
      }
    };
    const json = () => {
      for (const c of cases) sink += (JSON.parse(JSON.stringify(c.crm)) as CrmContactInput).emails.length;
    };
    const time = (work: () => void) => {
      const start = now();
      work();
      return now() - start;
    };
    time(mapping); // warm-up: JIT and libphonenumber's metadata
    time(json);
    const mappingMs: number[] = [];
    const jsonMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      mappingMs.push(time(mapping));
      jsonMs.push(time(json));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const perSecond = (ms: number) => Math.round((CONTACTS / ms) * 1000);
    const mappingRate = perSecond(median(mappingMs));
    const jsonRate = perSecond(median(jsonMs));
    return {
      figures: [
        { name: 'projectToExchange + merge', value: mappingRate, unit: 'contacts/s' },
        { name: 'JSON.parse + JSON.stringify (same contacts)', value: jsonRate, unit: 'contacts/s' },
        {
          name: 'mapping cost in JSON round trips',
          value: Math.round((jsonRate / mappingRate) * 10) / 10,
          unit: '×',
        },
        {
          name: 'mapping time per contact',
          value: Math.round((median(mappingMs) / CONTACTS) * 1000 * 10) / 10,
          unit: 'µs',
        },
      ],
      raw: { contacts: CONTACTS, rounds: ROUNDS, mappingMs, jsonMs, sink },
    };
  },
};
