import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEwsEmulator } from '../../../local/emulators/ews/index.js';
import { EwsTransport } from '../../../shared/adapters/ews/ews-transport.js';
import { startEws } from './support.js';

let emulator: RunningEwsEmulator;
beforeAll(async () => {
  emulator = await startEws();
});
afterAll(() => emulator.stop());

// biome-ignore lint/suspicious/noExplicitAny: the admin API's JSON, read field by field in the assertions.
type Json = any;

function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, emulator.url),
      { method, ca: emulator.caPem, headers: { 'Content-Type': 'application/json' } },
      (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(data) }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('the admin API over HTTP, as the Graph emulator’s', () => {
  it('creates a mailbox, plays the Outlook user, and shows the request log', async () => {
    expect((await admin('POST', '/_emulator/reset')).status).toBe(200);
    const mailbox = await admin('POST', '/_emulator/mailboxes', {
      smtp: 'lea@contoso.example',
      user: 'lea',
      domain: 'CONTOSO',
      password: 'Lea-Pass-1',
    });
    expect(mailbox).toEqual({
      status: 201,
      json: { smtp: 'lea@contoso.example', user: 'lea', domain: 'CONTOSO' },
    });
    const created = await admin('POST', '/_emulator/mailboxes/lea@contoso.example/contacts', {
      fields: { GivenName: 'Lea' },
    });
    expect(created.status).toBe(201);
    const edited = await admin(
      'PATCH',
      `/_emulator/mailboxes/lea@contoso.example/contacts/${encodeURIComponent(created.json.id)}`,
      { fields: { Surname: 'Berg' } },
    );
    expect(edited.json.changeKey).not.toBe(created.json.changeKey);
    const folder = await admin('POST', '/_emulator/mailboxes/lea@contoso.example/folders', {
      displayName: 'Kunden',
    });
    const moved = await admin(
      'POST',
      `/_emulator/mailboxes/lea@contoso.example/contacts/${encodeURIComponent(created.json.id)}/move`,
      { folderId: folder.json.id },
    );
    expect(moved.json.id).not.toBe(created.json.id);
    expect(
      (
        await admin(
          'DELETE',
          `/_emulator/mailboxes/lea@contoso.example/contacts/${encodeURIComponent(moved.json.id)}`,
        )
      ).status,
    ).toBe(200);
    const ews = new EwsTransport({
      url: emulator.ewsUrl,
      credentials: { username: 'CONTOSO\\lea', password: 'Lea-Pass-1' },
      ca: emulator.caPem,
    });
    await ews.post('<x/>');
    ews.close();
    const log = await admin('GET', '/_emulator/requests');
    expect(log.json.items.map((r: { status: number }) => r.status)).toEqual([401, 401, 500]);
    expect((await admin('GET', '/_emulator/nothing')).status).toBe(404);
    expect((await admin('POST', '/_emulator/mailboxes/nobody@x/contacts', {})).status).toBe(404);
  });
});

describe('npm run emulator:ews', () => {
  it('prints EWS_URL, EWS_USERNAME and EWS_PASSWORD as KEY=value lines, and they sign in', async () => {
    const child = spawn('node_modules/.bin/tsx', ['local/emulators/ews/main.ts'], {
      env: { ...process.env, EWS_EMULATOR_PORT: '0' },
    });
    try {
      const lines = await new Promise<Record<string, string>>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no lines: ${out}`)), 30_000);
        child.stdout.on('data', (chunk) => {
          out += String(chunk);
          if (/EWS_CA_CERT=.*\n/.test(out)) {
            clearTimeout(timer);
            resolve(
              Object.fromEntries(
                out
                  .trim()
                  .split('\n')
                  .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
              ),
            );
          }
        });
      });
      expect(lines['EWS_URL']).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/EWS\/Exchange\.asmx$/);
      const ews = new EwsTransport({
        url: lines['EWS_URL'] ?? '',
        credentials: { username: lines['EWS_USERNAME'] ?? '', password: lines['EWS_PASSWORD'] ?? '' },
        ca: readFileSync(lines['EWS_CA_CERT'] ?? '', 'utf8'),
      });
      const answer = await ews.post('<x/>');
      ews.close();
      expect(answer.status).toBe(500); // signed in; `<x/>` is no SOAP envelope
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }, 40_000);
});
