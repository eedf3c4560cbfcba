/**
 * The SecretStore entry of an on-premises account's password. Key Vault secret names are
 * 1–127 characters of `0-9`, `a-z`, `A-Z` and `-` only
 * (https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#object-identifiers),
 * and account ids may hold other characters, so the id is kept readable where it can be and
 * hex-encoded (after an `x`) where it cannot. A readable id never starts with `x` (such ids are
 * encoded too), so distinct ids always give distinct names.
 */
export function accountSecretName(accountId: string): string {
  const encoded = /^[0-9A-Za-wyzA-Z-][0-9A-Za-z-]{0,99}$/.test(accountId)
    ? accountId
    : `x${Buffer.from(accountId, 'utf8').toString('hex')}`;
  const name = `ews-password-${encoded}`;
  if (name.length > 127) throw new Error('account id too long for a Key Vault secret name');
  return name;
}

/** True for a name Key Vault accepts. */
export function isValidSecretName(name: string): boolean {
  return /^[0-9A-Za-z-]{1,127}$/.test(name);
}
