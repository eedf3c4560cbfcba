import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEwsEmulator } from '../../../local/emulators/ews/index.js';
import { autodiscoverCandidates, discoverEwsUrl } from '../../../shared/adapters/ews/autodiscover.js';
import { MAILBOX, PASSWORD, seed, startEws } from './support.js';

let emulator: RunningEwsEmulator;
beforeAll(async () => {
  emulator = await startEws();
});
afterAll(() => emulator.stop());
beforeEach(() => seed(emulator));

const credentials = { username: 'CONTOSO\\anna', password: PASSWORD };

describe('POX Autodiscover (autodiscover-for-exchange.md)', () => {
  it('tries the domain, then the autodiscover. host', () => {
    expect(autodiscoverCandidates('Anna@Contoso.Example')).toEqual([
      'https://contoso.example/autodiscover/autodiscover.xml',
      'https://autodiscover.contoso.example/autodiscover/autodiscover.xml',
    ]);
  });

  it('skips an endpoint that does not answer and takes the EWS URL from the next', async () => {
    const found = await discoverEwsUrl({
      email: MAILBOX,
      credentials,
      ca: emulator.caPem,
      candidates: [
        'https://127.0.0.1:1/autodiscover/autodiscover.xml',
        `${emulator.url}/autodiscover/autodiscover.xml`,
      ],
    });
    expect(found).toEqual({
      url: emulator.ewsUrl,
      via: `${emulator.url}/autodiscover/autodiscover.xml`,
      step: 'pox',
    });
  });

  it('stops at a refused password, and falls back to the host when nothing answers', async () => {
    await expect(
      discoverEwsUrl({
        email: MAILBOX,
        credentials: { ...credentials, password: 'nope' },
        ca: emulator.caPem,
        candidates: [`${emulator.url}/autodiscover/autodiscover.xml`],
      }),
    ).rejects.toMatchObject({ kind: 'auth', code: 'EwsUnauthorized' });
    const fallback = await discoverEwsUrl({
      email: MAILBOX,
      credentials,
      host: 'mail.contoso.example',
      candidates: ['https://127.0.0.1:1/autodiscover/autodiscover.xml'],
    });
    expect(fallback).toEqual({
      url: 'https://mail.contoso.example/EWS/Exchange.asmx',
      via: 'fallback',
      step: 'fallback',
    });
    await expect(discoverEwsUrl({ email: MAILBOX, credentials, candidates: [] })).rejects.toMatchObject({
      kind: 'notFound',
    });
  });
});
