import { describe, expect, it } from 'vitest';
import { accountSecretName, isValidSecretName } from '../../../shared/adapters/secrets/secret-names.js';

// Key Vault object names: 1-127 characters, 0-9 a-z A-Z and '-' only
// (learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#object-identifiers).
describe('accountSecretName', () => {
  it('keeps a plain id readable', () => {
    expect(accountSecretName('3f1c-aa')).toBe('ews-password-3f1c-aa');
  });

  it('hex-encodes ids with characters Key Vault refuses, so distinct ids stay distinct', () => {
    const a = accountSecretName('acc/1');
    const b = accountSecretName('acc_1');
    expect(isValidSecretName(a)).toBe(true);
    expect(isValidSecretName(b)).toBe(true);
    expect(a).not.toBe(b);
  });

  it('an id that looks like an encoded one is encoded itself: no collision', () => {
    const encodedSlash = accountSecretName('a/'); // ews-password-x612f
    expect(encodedSlash).toBe('ews-password-x612f');
    expect(accountSecretName('x612f')).not.toBe(encodedSlash);
  });

  it('refuses an id too long for the 127-character limit rather than cutting it', () => {
    expect(() => accountSecretName(`a/${'b'.repeat(80)}`)).toThrow(/too long/);
  });
});
