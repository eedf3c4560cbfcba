import type { Etag, Stored } from '../ports.js';
import type { TenantMailSettings } from './settings.js';

/**
 * Where a tenant's mail settings live (its blocklist; issue 17, item 2), beside the accounts:
 * Table Storage in Azure and locally (shared/adapters/tables/table-tenant-settings.ts). A
 * tenant that never saved any has none (`get` answers null: the defaults apply). Every
 * method succeeds or throws a SyncError; `put` with a stale etag throws `conflict`.
 */
export interface TenantSettingsStore {
  get(tenantId: string): Promise<Stored<TenantMailSettings> | null>;
  /** `etag` null creates (a `conflict` when another writer created it first). */
  put(tenantId: string, settings: TenantMailSettings, etag: Etag): Promise<string>;
}

/** The tenant's settings, or the defaults when it saved none (or no store is configured). */
export async function tenantMailSettingsOf(
  store: TenantSettingsStore | undefined,
  tenantId: string | null,
): Promise<TenantMailSettings> {
  if (!store || !tenantId) return { blocklist: [] };
  return (await store.get(tenantId))?.value ?? { blocklist: [] };
}
