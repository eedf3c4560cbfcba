import { describe, expect, it } from 'vitest';
import type { OnPremisesConnection } from '../../../shared/accounts/on-premises.js';
import { EwsMailboxTransports, ewsContactsFor } from '../../../shared/adapters/ews/exchange-contacts.js';
import { connectAccount, EwsTransports } from '../../../shared/adapters/ews/mail/transports.js';
import { InMemorySecretStore } from '../../../shared/adapters/secrets/in-memory-secrets.js';

/**
 * An on-premises account's `onPremises.auth` (the scheme its server chose when it was
 * connected) reaches its EWS transports, so they sign in at once (EwsTransport `scheme`)
 * instead of first sending every new connection's request unauthenticated to learn it again.
 */
const connection = (auth: 'ntlm' | 'basic'): OnPremisesConnection => ({
  ewsUrl: 'https://mail.firma.example/EWS/Exchange.asmx',
  username: 'FIRMA\\anna',
  auth,
  caPem: null,
  secretName: 'onprem-anna',
});

async function secrets() {
  const store = new InMemorySecretStore();
  await store.set('onprem-anna', 'Geheim-1!');
  return store;
}

describe("an on-premises account's EWS transports", () => {
  it.each(['ntlm', 'basic'] as const)(
    "know the account's scheme (%s) before their first request",
    async (auth) => {
      const connect = connectAccount(connection(auth), await secrets());
      // The runtime's pool (contacts and mail of one account) and the mail adapter's own pool.
      for (const pool of [new EwsMailboxTransports(connect), new EwsTransports(connect)]) {
        const transport = await pool.get('anna@firma.example');
        expect(transport.authScheme).toBe(auth);
        pool.close();
      }
    },
  );

  it("and so does the contacts adapter's own connection", async () => {
    const adapter = ewsContactsFor(connection('basic'), await secrets());
    const connect = (adapter as unknown as { ownPool: EwsMailboxTransports }).ownPool;
    const transport = await connect.get('anna@firma.example');
    expect(transport.authScheme).toBe('basic');
    adapter.close();
  });
});
