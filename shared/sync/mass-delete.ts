/**
 * vdirsyncer's StorageEmpty guard, as a share: deletes that would remove more than `share` of
 * an account's linked contacts (and at least `min` of them) are held until a person confirms
 * them, because that is what a broken mailbox or a wrong folder looks like. The deletes of one
 * round count together over all its folders, and so do the deletes carried out within the
 * window before it (a slow wipe, a few per round, is held once it adds up).
 */
export function shouldHoldDeletes(input: {
  /** Deletes of this round. */
  deletes: number;
  /** Deletes carried out within the window before this round (they are no longer linked). */
  recent?: number;
  /** Links the account holds now. */
  linked: number;
  share: number;
  min: number;
  confirmed: boolean;
}): boolean {
  const recent = input.recent ?? 0;
  const total = input.deletes + recent;
  if (input.confirmed || input.deletes === 0 || total < input.min) return false;
  // Against what the account held when the window began: the links now plus those deleted since.
  return total > input.share * (input.linked + recent);
}

/** The window a slow wipe is counted over unless configured (MASS_DELETE_WINDOW_HOURS). */
export const DEFAULT_DELETE_WINDOW_MS = 24 * 3_600_000;

/** Deletes recorded within `windowMs` before `now`. */
export function deletesInWindow(
  recent: readonly { at: string; count: number }[] | undefined,
  now: number,
  windowMs: number,
): number {
  return (recent ?? [])
    .filter((entry) => now - Date.parse(entry.at) < windowMs)
    .reduce((sum, entry) => sum + entry.count, 0);
}
