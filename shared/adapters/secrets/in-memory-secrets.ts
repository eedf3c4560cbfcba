import type { SecretStore } from '../../ports.js';
import { isValidSecretName } from './secret-names.js';

/** A SecretStore in memory, for tests and the reliability model. */
export class InMemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();

  async get(name: string): Promise<string | null> {
    return this.values.get(name) ?? null;
  }

  async set(name: string, value: string): Promise<void> {
    if (!isValidSecretName(name)) throw new Error(`invalid secret name "${name}"`);
    this.values.set(name, value);
  }

  async delete(name: string): Promise<void> {
    this.values.delete(name);
  }
}
