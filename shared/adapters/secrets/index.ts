export { EncryptedTableSecrets, parseSecretsKey, SECRETS_TABLE } from './encrypted-table-secrets.js';
export { InMemorySecretStore } from './in-memory-secrets.js';
export { KeyVaultSecrets } from './key-vault-secrets.js';
export { accountSecretName, isValidSecretName } from './secret-names.js';
