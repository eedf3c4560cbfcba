import { describe, expect, it } from 'vitest';
import { parseContactItems } from '../../../shared/adapters/graph/contact-page.js';

describe('parseContactItems', () => {
  it('splits a delta page into upserts, removals and skipped items with a reason', () => {
    const parsed = parseContactItems([
      {
        id: 'a',
        changeKey: 'k1',
        givenName: 'Anna',
        emailAddresses: [{ address: 'a@x.de', name: 'a@x.de' }],
      },
      { id: 'b', '@removed': { reason: 'deleted' } },
      { id: 'c', '@removed': { reason: 'changed' } },
      { id: 'd', givenName: 42 },
      { givenName: 'no id' },
      'not even an object',
    ]);
    expect(parsed.upserts.map((u) => u.id)).toEqual(['a']);
    expect(parsed.removedIds).toEqual(['b', 'c']);
    expect(parsed.skipped).toEqual([
      { id: 'd', reason: expect.stringContaining('givenName') },
      { id: null, reason: expect.stringContaining('id') },
      { id: null, reason: expect.any(String) },
    ]);
  });

  // "the same resource may be returned more than once" (learn.microsoft.com/graph/delta-query-overview)
  it('keeps the last state of an id that comes more than once on a page', () => {
    const parsed = parseContactItems([
      { id: 'a', changeKey: 'k1', givenName: 'Anna' },
      { id: 'b', changeKey: 'k1', givenName: 'Bert' },
      { id: 'a', changeKey: 'k2', givenName: 'Anne' },
      { id: 'b', '@removed': { reason: 'deleted' } },
      { id: 'c', '@removed': { reason: 'changed' } },
      { id: 'c', changeKey: 'k3', givenName: 'Carl' },
    ]);
    expect(parsed.upserts.map((u) => [u.id, u.givenName])).toEqual([
      ['a', 'Anne'],
      ['c', 'Carl'],
    ]);
    expect(parsed.removedIds).toEqual(['b']);
  });
});
