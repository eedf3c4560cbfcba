/**
 * vdirsyncer's StorageEmpty guard, as a share: a delta round that would delete more than
 * `share` of an account's linked contacts (and at least `min` of them) is held until a person
 * confirms it, because that is what a broken mailbox or a wrong folder looks like.
 */
export function shouldHoldDeletes(input: {
  deletes: number;
  linked: number;
  share: number;
  min: number;
  confirmed: boolean;
}): boolean {
  if (input.confirmed || input.deletes < input.min) return false;
  return input.deletes > input.share * input.linked;
}
