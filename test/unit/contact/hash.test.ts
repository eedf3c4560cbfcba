import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExchangeFields } from '../../../shared/contact/exchange-contact.js';
import { contentHash, diffFields, fieldsEqual } from '../../../shared/contact/hash.js';
import { EMPTY_FIELDS } from '../../../shared/contact/normalise.js';
import { projectToExchange } from '../../../shared/contact/project.js';
import { crmContact, DEFAULT_COUNTRY, FC_RUNS, FC_TIMEOUT, slotEdit } from './arbitraries.js';

const windowOf = crmContact.map((c) => projectToExchange(c, { defaultCountry: DEFAULT_COUNTRY }).fields);

describe('contentHash / fieldsEqual / diffFields', () => {
  it(
    'is a stable sha256 that ignores key order, e-mail case and surrounding spaces',
    () => {
      fc.assert(
        fc.property(windowOf, (fields) => {
          const reordered = Object.fromEntries(Object.entries(fields).reverse()) as unknown as ExchangeFields;
          const shouted = {
            ...fields,
            emailAddresses: fields.emailAddresses.map((e) => ` ${e.toUpperCase()} `),
          };
          expect(contentHash(fields)).toMatch(/^[0-9a-f]{64}$/);
          expect(contentHash(reordered)).toBe(contentHash(fields));
          expect(contentHash(shouted)).toBe(contentHash(fields));
          expect(fieldsEqual(shouted, fields)).toBe(true);
          expect(diffFields(fields, shouted)).toEqual({});
        }),
        { numRuns: FC_RUNS },
      );
    },
    FC_TIMEOUT,
  );

  it(
    'changes with every edit, and the diff holds exactly the edited field',
    () => {
      fc.assert(
        fc.property(windowOf, fc.gen(), (fields, g) => {
          const edit = g(slotEdit, fields);
          expect(contentHash(edit.exchange)).not.toBe(contentHash(fields));
          expect(fieldsEqual(edit.exchange, fields)).toBe(false);
          const diff = diffFields(fields, edit.exchange);
          expect(Object.keys(diff)).toEqual([edit.field]);
          expect(fieldsEqual({ ...fields, ...diff }, edit.exchange)).toBe(true);
        }),
        { numRuns: FC_RUNS },
      );
    },
    FC_TIMEOUT,
  );

  it('pins the hash of an empty window (a change here invalidates every stored hash)', () => {
    expect(contentHash(EMPTY_FIELDS)).toBe(
      '4aa9b4ae94e767f2f1ce6f1e29dfe645f58da84db8fd3557afa3f9961315e163',
    );
    expect(contentHash({ ...EMPTY_FIELDS, givenName: '  ' })).toBe(contentHash(EMPTY_FIELDS));
    expect(contentHash({ ...EMPTY_FIELDS, givenName: 'A' })).not.toBe(contentHash(EMPTY_FIELDS));
  });
});
