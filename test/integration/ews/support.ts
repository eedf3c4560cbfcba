import { inject } from 'vitest';
import { type RunningEwsEmulator, startEwsEmulator } from '../../../local/emulators/ews/index.js';
import {
  EwsExchangeContacts,
  type EwsExchangeContactsOptions,
} from '../../../shared/adapters/ews/exchange-contacts.js';

export const MAILBOX = 'anna@contoso.example';
export const PASSWORD = 'S3cret-Anna!';

export async function startEws(): Promise<RunningEwsEmulator> {
  return startEwsEmulator({ tlsDir: inject('tlsDir'), port: 0 });
}

export function seed(emulator: RunningEwsEmulator): void {
  emulator.admin.reset();
  emulator.admin.createMailbox({ smtp: MAILBOX, user: 'anna', domain: 'CONTOSO', password: PASSWORD });
}

/** The adapter as production wires it: the account's URL, login, password and CA PEM. */
export function ewsAdapter(
  emulator: RunningEwsEmulator,
  options: Partial<EwsExchangeContactsOptions> = {},
  password = PASSWORD,
): EwsExchangeContacts {
  return new EwsExchangeContacts({
    connect: () => ({
      url: emulator.ewsUrl,
      credentials: { username: 'CONTOSO\\anna', password },
      ca: emulator.caPem,
    }),
    ...options,
  });
}
