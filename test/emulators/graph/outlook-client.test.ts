import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { OutlookUser } from '../../../local/clients/outlook.js';
import { type RunningGraphEmulator, startGraphEmulator } from '../../../local/emulators/graph/index.js';

/** The "Outlook user" client the e2e tests and the demo act through, against the emulator's admin routes. */
let emulator: RunningGraphEmulator;
let outlook: OutlookUser;
const mail = 'ida@contoso.test';

beforeAll(async () => {
  emulator = await startGraphEmulator({ tlsDir: inject('tlsDir') });
  outlook = new OutlookUser({
    graphUrl: emulator.url,
    tenantId: emulator.tenantId,
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
  });
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.admin.reset();
  emulator.admin.createMailbox({ mail, timeZone: 'W. Europe Standard Time' });
});

describe('OutlookUser', () => {
  it('moves, deletes, restores and deletes folders as a person in Outlook', async () => {
    const folder = await outlook.createFolder(mail, 'Kunden');
    const created = await outlook.createInOutlook(mail, { givenName: 'Jo', birthday: '1980-07-01' });
    expect(created.birthday).toBe('1980-06-30T22:00:00Z');
    const moved = await outlook.moveContact(mail, created.id, folder.id);
    expect(moved).toMatchObject({ parentFolderId: folder.id, immutableId: created.immutableId });
    await outlook.deleteInOutlook(mail, moved.id);
    const [inBin] = await outlook.deletedItems(mail);
    expect(inBin?.immutableId).toBe(created.immutableId);
    const restored = await outlook.restoreContact(mail, inBin?.id ?? '');
    expect(restored.parentFolderId).toBe(emulator.admin.mailboxes()[0]?.defaultFolderId);
    expect((await outlook.setBirthday(mail, restored.id, '1980-01-01')).birthday).toBe(
      '1979-12-31T23:00:00Z',
    );
    await outlook.moveContact(mail, restored.id, folder.id);
    await outlook.deleteFolder(mail, folder.id);
    expect(emulator.admin.contacts(mail)).toEqual([]);
    await expect(outlook.moveContact(mail, restored.id, 'contacts')).rejects.toThrow(/404/);
  });
});
