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
});
