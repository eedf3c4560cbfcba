import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  MemorySessionStore,
  newSessionId,
  type SessionData,
  type SessionStore,
  TableSessionStore,
} from '../../../web/session/session-store.js';
import { uniqueName } from '../../support/names.js';

/** The web sessions on Azurite and in memory: one contract. */
const connectionString = inject('storageConnectionString');
const tableName = uniqueName('websessions');
let table: TableSessionStore<{ who: string }>;

beforeAll(async () => {
  table = await TableSessionStore.create({ connectionString, tableName });
});
afterAll(async () => {
  await TableClient.fromConnectionString(connectionString, tableName, {
    allowInsecureConnection: true,
  }).deleteTable();
});

const data = (expiresAt: number, who = 'anna'): SessionData<{ who: string }> => ({
  principal: { who },
  displayName: who,
  csrf: 'token',
  expiresAt,
  flow: null,
  notice: null,
});

for (const [name, store] of [
  ['TableSessionStore on Azurite', () => table],
  ['MemorySessionStore', () => new MemorySessionStore<{ who: string }>()],
] as const) {
  describe(name, () => {
    const s = (): SessionStore<{ who: string }> => store();

    it('keeps a session until it expires, and forgets it when deleted', async () => {
      const sessions = s();
      const id = newSessionId();
      const now = Date.now();
      await sessions.put(id, data(now + 60_000));
      expect((await sessions.get(id, now))?.principal).toEqual({ who: 'anna' });
      expect(await sessions.get(id, now + 60_000)).toBeNull();
      await sessions.delete(id);
      expect(await sessions.get(id, now)).toBeNull();
      await sessions.delete(id); // already gone: no error
    });

    it('finds nothing for an id of the wrong shape or one never issued', async () => {
      const sessions = s();
      expect(await sessions.get('../../etc', Date.now())).toBeNull();
      expect(await sessions.get(newSessionId(), Date.now())).toBeNull();
    });

    it('sweeps expired sessions, at most as many as asked, and leaves live ones', async () => {
      const sessions = s();
      const now = Date.now();
      const expired = [newSessionId(), newSessionId(), newSessionId()];
      const live = newSessionId();
      for (const id of expired) await sessions.put(id, data(now - 1000));
      await sessions.put(live, data(now + 60_000, 'ben'));
      expect(await sessions.sweep(now, 2)).toBe(2);
      expect(await sessions.sweep(now, 10)).toBeGreaterThanOrEqual(1);
      expect(await sessions.sweep(now, 10)).toBe(0);
      expect((await sessions.get(live, now))?.principal).toEqual({ who: 'ben' });
    });
  });
}
