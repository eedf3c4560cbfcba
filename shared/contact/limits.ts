/**
 * Exchange's limits on a contact, from the FLOWFACT help page "Exchange limits"
 * (seeds/000): "nur eine oder zwei private oder geschäftliche Telefonnummern",
 * "nur drei verschiedene E-Mail-Adressen", "nur eine einzige Webseite",
 * "keine Unterstützung für das Notizfeld". Graph v1.0 has exactly one `mobilePhone`.
 *
 * This table is the single source of these numbers: the projection, the Exchange reader
 * and the tests all read it. Exchange's limits on string lengths are not documented, so
 * none are invented here.
 */
export const EXCHANGE_LIMITS = {
  emails: 3,
  businessPhones: 2,
  homePhones: 2,
  mobile: 1,
  website: 1,
  notes: 0,
} as const satisfies Record<string, number>;

export type ExchangeLimit = keyof typeof EXCHANGE_LIMITS;
