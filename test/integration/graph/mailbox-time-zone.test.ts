import { type Client, GraphError } from '@microsoft/microsoft-graph-client';
import { describe, expect, it } from 'vitest';
import { MailboxScheduler } from '../../../shared/adapters/graph/mailbox-scheduler.js';
import { DEFAULT_TIME_ZONE, MailboxTimeZones } from '../../../shared/adapters/graph/mailbox-time-zone.js';

/**
 * The answers the Graph emulator cannot give yet: an app without MailboxSettings.Read gets
 * 403 ErrorAccessDenied on `mailboxSettings` ("Get user mailbox settings", permissions), and
 * a mailbox can fail for a while. A stand-in client answers them; everything else is real.
 */
function clientAnswering(answer: () => Promise<unknown>): { client: Client; calls: () => number } {
  let calls = 0;
  const request = {
    header: () => request,
    get: () => {
      calls++;
      return answer();
    },
  };
  return { client: { api: () => request } as unknown as Client, calls: () => calls };
}

function graphError(status: number, code: string, message: string): GraphError {
  const error = new GraphError(status, message);
  error.code = code;
  return error;
}

describe('MailboxTimeZones', () => {
  it('falls back to Europe/Berlin when the app may not read mailbox settings, and remembers it', async () => {
    const stand = clientAnswering(() =>
      Promise.reject(
        graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.'),
      ),
    );
    const zones = new MailboxTimeZones({ client: stand.client, scheduler: new MailboxScheduler() });
    expect(await zones.zoneOf('a@contoso.example')).toBe(DEFAULT_TIME_ZONE);
    expect(await zones.zoneOf('A@contoso.example')).toBe(DEFAULT_TIME_ZONE);
    expect(stand.calls()).toBe(1);
  });

  it('maps the Windows name and reads again after the cache time', async () => {
    let now = 0;
    const stand = clientAnswering(() => Promise.resolve({ value: 'Pacific Standard Time' }));
    const zones = new MailboxTimeZones(
      { client: stand.client, scheduler: new MailboxScheduler() },
      1000,
      () => now,
    );
    expect(await zones.zoneOf('b@contoso.example')).toBe('America/Los_Angeles');
    now = 2000;
    await zones.zoneOf('b@contoso.example');
    expect(stand.calls()).toBe(2);
  });

  it('does not hide a temporary failure behind the default', async () => {
    const stand = clientAnswering(() => Promise.reject(graphError(500, 'InternalServerError', 'boom')));
    const zones = new MailboxTimeZones({ client: stand.client, scheduler: new MailboxScheduler() });
    await expect(zones.zoneOf('c@contoso.example')).rejects.toMatchObject({ kind: 'transient' });
  });
});
