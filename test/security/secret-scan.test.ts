import { describe, expect, it } from 'vitest';
import { secretScanner } from './support/secret-scan.js';

/** The leak check must be able to fail: it finds planted secrets, fragments, encodings and JWTs. */
describe('the secret scanner', () => {
  const scan = secretScanner({
    CRM_TOKEN: 'Zk3_q9LmN0pRsTuVwXyZ12345678abcd',
    AccountKey: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
    short: 'pw-1234',
  });
  const names = (text: string) => scan(text).map((f) => f.name);

  it('finds a planted secret, a fragment of it, and its URL-encoded form', () => {
    expect(names('info CRM GET failed: Authorization: Bearer Zk3_q9LmN0pRsTuVwXyZ12345678abcd')).toEqual([
      'CRM_TOKEN',
    ]);
    expect(names('…cut short: TuVwXyZ12345')).toEqual([]);
    expect(names('…truncated: q9LmN0pRsTuVwXyZ1')).toEqual(['CRM_TOKEN']);
    expect(names('key=tq%2FK1SZFPTOtr%2FKBHBeksoGMGw%3D%3D')).toEqual(['AccountKey']);
    expect(names('password pw-1234 in a message')).toEqual(['short']);
  });

  it('finds anything shaped like a JWT', () => {
    const jwt = `${Buffer.from('{"typ":"JWT","alg":"HS256"}').toString('base64url')}.${Buffer.from('{"aud":"x","tid":"y"}').toString('base64url')}.sig`;
    expect(names(`token ${jwt}`)).toEqual(['a JWT']);
  });

  it('stays quiet on ordinary log lines', () => {
    expect(
      names('info [exchangeToCrm] exchange-to-crm: exchangeChanged done: 3 contact(s) (created=1)'),
    ).toEqual([]);
    expect(
      names(
        'warn graphNotifications: 1 notification(s) with an unknown subscription or wrong clientState ignored',
      ),
    ).toEqual([]);
  });
});
