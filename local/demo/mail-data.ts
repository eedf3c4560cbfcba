/**
 * The demo mailbox's mail (issue 17, item 8): a few hundred messages over five months, as an
 * estate agent's Inbox and Sent Items hold them. Deterministic (a seeded generator), so every
 * `npm start` shows the same mail:
 * - with CRM clients, both ways (they reach the client's record; those older than the
 *   90-day first-import window stay out);
 * - internal mail among colleagues, newsletters (List-Unsubscribe), mail categorised "Privat"
 *   and mail from people the CRM does not know (all of them stay out, each for its reason).
 * Bodies of the admin route `POST /_emulator/users/{id}/messages/receive`.
 */
const DAY_MS = 86_400_000;

const CLIENT_SUBJECTS = [
  'Besichtigung der Wohnung',
  'Frage zum Exposé',
  'Finanzierungsbestätigung',
  'Unterlagen für den Kaufvertrag',
  'Termin beim Notar',
  'Mietvertrag – Rückfragen',
];
const REPLIES = [
  'Gerne, anbei die Unterlagen.',
  'Der Termin passt, bis dahin.',
  'Danke, ich melde mich morgen.',
];

function generator(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const who = (address: string, name?: string) => ({ emailAddress: { address, ...(name ? { name } : {}) } });

export interface DemoMailInput {
  agent: { mail: string; name: string };
  /** Addresses of CRM contacts (the clients). */
  clients: readonly string[];
  now: Date;
  count: number;
}

export function demoMails(input: DemoMailInput): Record<string, unknown>[] {
  const random = generator(17);
  const domain = input.agent.mail.split('@')[1] ?? 'immobilien-demo.example';
  const colleague = `team@${domain}`;
  return Array.from({ length: input.count }, (_, i) => {
    const at = new Date(input.now.getTime() - Math.floor(random() * 150 * DAY_MS)).toISOString();
    const client = input.clients[Math.floor(random() * input.clients.length)] ?? 'kunde@kunde.example';
    const kind = i % 10;
    const base = { receivedDateTime: at, sentDateTime: at };
    if (kind < 4) {
      return {
        ...base,
        from: who(client),
        toRecipients: [who(input.agent.mail, input.agent.name)],
        subject: CLIENT_SUBJECTS[i % CLIENT_SUBJECTS.length],
        body: { contentType: 'text', content: `Guten Tag, ich hätte eine Frage (${i}).` },
      };
    }
    if (kind < 6) {
      return {
        ...base,
        folder: 'sentitems',
        from: who(input.agent.mail, input.agent.name),
        toRecipients: [who(client)],
        subject: `AW: ${CLIENT_SUBJECTS[i % CLIENT_SUBJECTS.length]}`,
        body: { contentType: 'html', content: `<p>${REPLIES[i % REPLIES.length]}</p>` },
        isRead: true,
      };
    }
    if (kind === 6) {
      return { ...base, from: who(colleague, 'Team'), subject: 'Teambesprechung Montag' };
    }
    if (kind === 7) {
      return {
        ...base,
        from: who('newsletter@immobilienmarkt.example', 'Immobilienmarkt'),
        subject: 'Marktbericht der Woche',
        internetMessageHeaders: [
          { name: 'List-Unsubscribe', value: '<mailto:leave@immobilienmarkt.example>' },
        ],
      };
    }
    if (kind === 8) {
      return { ...base, from: who(client), subject: 'Geburtstagsfeier', categories: ['Privat'] };
    }
    return { ...base, from: who(`anfrage${i}@unbekannt.example`), subject: 'Anfrage über das Portal' };
  });
}
