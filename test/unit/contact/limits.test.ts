import { describe, expect, it } from 'vitest';
import { EXCHANGE_LIMITS } from '../../../shared/contact/limits.js';
import { projectToExchange } from '../../../shared/contact/project.js';
import { contact } from './fixtures/contact.js';

describe('EXCHANGE_LIMITS', () => {
  it('holds the limits of the help page (seeds/000) and Graph v1.0', () => {
    expect(EXCHANGE_LIMITS).toEqual({
      emails: 3,
      businessPhones: 2,
      homePhones: 2,
      mobile: 1,
      website: 1,
      notes: 0,
    });
  });

  it('is what the projection applies', () => {
    const many = 9;
    const numbers = (prefix: string) => Array.from({ length: many }, (_, i) => `030 ${prefix}00000${i}`);
    const p = projectToExchange(
      contact({
        emails: Array.from({ length: many }, (_, i) => ({ address: `${i}@x.de`, type: null })),
        phones: [
          ...numbers('1').map((number) => ({ number, type: 'business' as const })),
          ...numbers('2').map((number) => ({ number, type: 'private' as const })),
          ...['0171 1000001', '0171 1000002'].map((number) => ({ number, type: 'mobile' as const })),
        ],
        websites: Array.from({ length: many }, (_, i) => ({ url: `https://${i}.example`, type: null })),
        notes: 'x',
      }),
      { defaultCountry: 'DE' },
    );
    expect(p.fields.emailAddresses).toHaveLength(EXCHANGE_LIMITS.emails);
    expect(p.fields.businessPhones).toHaveLength(EXCHANGE_LIMITS.businessPhones);
    expect(p.fields.homePhones).toHaveLength(EXCHANGE_LIMITS.homePhones);
    expect([p.fields.mobilePhone].filter(Boolean)).toHaveLength(EXCHANGE_LIMITS.mobile);
    expect([p.fields.businessHomePage].filter(Boolean)).toHaveLength(EXCHANGE_LIMITS.website);
    expect(p.keptBack.filter((k) => k.field === 'notes')).toHaveLength(1);
  });
});
