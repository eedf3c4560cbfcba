import { randomBytes } from 'node:crypto';

/** A table or queue name no other test uses (Azure names: lowercase letters and digits, 3–63). */
export function uniqueName(prefix: string): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9]/g, '');
  return `${clean}${randomBytes(5).toString('hex')}`.slice(0, 63);
}
