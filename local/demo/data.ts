import type { CrmContactInput } from '../../shared/contact/crm-contact.js';

/**
 * Deterministic demo data: an estate agent's Outlook address book and CRM. A small seeded
 * generator (not Math.random) so every `npm start` shows the same contacts.
 */
const FIRST = [
  'Anna',
  'Lukas',
  'Mia',
  'Leon',
  'Emma',
  'Paul',
  'Hannah',
  'Jonas',
  'Sophie',
  'Felix',
  'Marie',
  'Elias',
  'Lea',
  'Noah',
  'Lina',
  'Ben',
  'Zoé',
  'Jürgen',
  'Özlem',
  'Björn',
];
const LAST = [
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Schulz',
  'Hoffmann',
  'Koch',
  'Richter',
  'Klein',
  'Wolf',
  'Schröder',
  'Neumann',
  'Schwarz',
  'Zimmermann',
  'Braun',
  'Krüger',
];
const COMPANIES = [
  'Immobilien Nord GmbH',
  'Hausverwaltung Süd',
  'Bauträger West AG',
  'Notariat am Markt',
  'Stadtwerke',
  null,
  null,
];
const CITIES: [string, string, string][] = [
  ['Berlin', '10115', '30'],
  ['Hamburg', '20095', '40'],
  ['München', '80331', '89'],
  ['Köln', '50667', '221'],
  ['Frankfurt am Main', '60311', '69'],
];

function generator(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Graph contact bodies, as a person would have typed them into Outlook. */
export function outlookContacts(count: number, seed: number, domain: string): Record<string, unknown>[] {
  const random = generator(seed);
  return Array.from({ length: count }, (_, i) => {
    const givenName = pick(random, FIRST);
    const surname = pick(random, LAST);
    const [city, postalCode, area] = pick(random, CITIES);
    const local = `${givenName}.${surname}.${seed}${i}`
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z0-9.]/g, '');
    return {
      givenName,
      surname,
      companyName: pick(random, COMPANIES),
      emailAddresses: [{ address: `${local}@${domain}`, name: `${givenName} ${surname}` }],
      businessPhones: [`+49 ${area} ${1_000_000 + Math.floor(random() * 8_999_999)}`],
      mobilePhone: random() < 0.5 ? `+49 171 ${1_000_000 + Math.floor(random() * 8_999_999)}` : null,
      homeAddress:
        random() < 0.3 ? { street: `Hauptstraße ${i + 1}`, city, postalCode, countryOrRegion: 'DE' } : null,
      personalNotes: random() < 0.2 ? 'Besichtigung am Samstag' : '',
    };
  });
}

/**
 * CRM contacts; every third one has more than Exchange can hold (5 e-mails, 4 phones with a
 * fax and a national number, two websites, notes), to show what stays in the CRM and why.
 */
export function crmContacts(count: number, seed: number): CrmContactInput[] {
  const random = generator(seed);
  return Array.from({ length: count }, (_, i) => {
    const firstName = pick(random, FIRST);
    const lastName = pick(random, LAST);
    const [city, postalCode, area] = pick(random, CITIES);
    const local = `${firstName}.${lastName}.crm${i}`
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z0-9.]/g, '');
    const rich = i % 3 === 0;
    return {
      salutation: random() < 0.5 ? 'Frau' : 'Herr',
      title: random() < 0.1 ? 'Dr.' : null,
      firstName,
      middleName: null,
      lastName,
      company: pick(random, COMPANIES),
      position: random() < 0.3 ? 'Geschäftsführung' : null,
      department: null,
      birthday:
        random() < 0.2
          ? `19${60 + Math.floor(random() * 39)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`
          : null,
      emails: rich
        ? [1, 2, 3, 4, 5].map((n) => ({
            address: `${local}.${n}@kunde.example`,
            type: n === 1 ? ('business' as const) : n === 2 ? ('private' as const) : null,
          }))
        : [{ address: `${local}@kunde.example`, type: 'business' as const }],
      phones: rich
        ? [
            { number: `0${area} ${2_000_000 + i}`, type: 'business' as const },
            { number: `+49 ${area} ${3_000_000 + i}`, type: 'business' as const },
            { number: `+49 ${area} ${4_000_000 + i}`, type: 'business' as const },
            { number: `0${area} ${5_000_000 + i}`, type: 'fax' as const },
          ]
        : [{ number: `0${area} ${6_000_000 + i}`, type: 'business' as const }],
      websites: rich
        ? [
            { url: `https://${local}.example`, type: null },
            { url: 'https://second.example', type: 'private' as const },
          ]
        : [],
      addresses: [
        { type: 'business' as const, street: `Marktplatz ${i + 1}`, postalCode, city, country: 'DE' },
      ],
      notes: rich ? 'Sucht 3-Zimmer-Wohnung, Budget 450.000 €; "dringend", bitte zurückrufen' : null,
      syncAccounts: [],
    };
  });
}
