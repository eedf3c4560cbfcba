import type { Client } from '@microsoft/microsoft-graph-client';
import { inject } from 'vitest';
import {
  type GraphEmulatorOptions,
  type RunningGraphEmulator,
  startGraphEmulator,
} from '../../../local/emulators/graph/index.js';
import {
  GraphExchangeContacts,
  type GraphExchangeContactsOptions,
} from '../../../shared/adapters/graph/exchange-contacts.js';
import { createGraphClient } from '../../../shared/adapters/graph/graph-client.js';
import type { ExchangeFields } from '../../../shared/contact/exchange-contact.js';
import { EMPTY_FIELDS } from '../../../shared/contact/index.js';

/** Starts an emulator on a free port and an adapter wired to it exactly as production wires Graph. */
export async function startGraph(
  options: Omit<GraphEmulatorOptions, 'tlsDir'> = {},
  adapter: Omit<GraphExchangeContactsOptions, 'client'> = {},
): Promise<{ emulator: RunningGraphEmulator; exchange: GraphExchangeContacts }> {
  const emulator = await startGraphEmulator({ tlsDir: inject('tlsDir'), port: 0, ...options });
  return { emulator, exchange: adapterFor(emulator, adapter) };
}

/** A Graph client for the emulator, built by the production factory (only URLs and CA differ). */
export function clientFor(emulator: RunningGraphEmulator, secret = emulator.clientSecret): Client {
  return createGraphClient({
    baseUrl: emulator.url,
    authorityHost: emulator.authorityHost,
    tenantId: emulator.tenantId,
    clientId: emulator.clientId,
    clientSecret: secret,
  });
}

export function adapterFor(
  emulator: RunningGraphEmulator,
  options: Omit<GraphExchangeContactsOptions, 'client'> = {},
): GraphExchangeContacts {
  return new GraphExchangeContacts({ client: clientFor(emulator), ...options });
}

export function fields(overrides: Partial<ExchangeFields> = {}): ExchangeFields {
  return { ...EMPTY_FIELDS, givenName: 'Anna', surname: 'Schmidt', ...overrides };
}

/** The n-th generated contact, distinct and valid. */
export function numbered(n: number): ExchangeFields {
  return fields({ givenName: `Person${n}`, surname: `Nr${n}`, emailAddresses: [`p${n}@example.de`] });
}
