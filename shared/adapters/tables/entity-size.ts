import { SyncError } from '../../errors.js';

/**
 * Azure's limits (graph-azure-facts.md section 10): a string property holds at most 64 KiB
 * (UTF-16, so 32K characters) and a whole entity at most 1 MiB. We check before writing so
 * the caller gets one clear error instead of the service's 400 halfway through a sync.
 */
export const MAX_STRING_BYTES = 64 * 1024;
export const MAX_ENTITY_BYTES = 1024 * 1024;

export function checkEntitySize(entity: Record<string, unknown>, what: string): void {
  let total = 0;
  for (const [name, value] of Object.entries(entity)) {
    total += Buffer.byteLength(name, 'utf16le');
    if (typeof value === 'string') {
      const bytes = Buffer.byteLength(value, 'utf16le');
      if (bytes > MAX_STRING_BYTES) {
        throw new SyncError(
          'invalid',
          'EntityTooLarge',
          `${what}: property "${name}" is ${bytes} bytes; Table Storage allows at most ${MAX_STRING_BYTES}`,
        );
      }
      total += bytes;
    } else {
      total += 8;
    }
  }
  if (total > MAX_ENTITY_BYTES) {
    throw new SyncError(
      'invalid',
      'EntityTooLarge',
      `${what}: the entity is about ${total} bytes; Table Storage allows at most ${MAX_ENTITY_BYTES}`,
    );
  }
}
