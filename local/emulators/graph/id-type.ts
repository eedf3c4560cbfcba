/**
 * `Prefer: IdType="ImmutableId"` ("Obtain immutable identifiers for Outlook resources"): the
 * header "only applies to the request it is included with", so every request decides for
 * itself which id form Graph answers with. On input both forms are accepted; Exchange
 * resolves either to the item. A response that honoured the preference says so with
 * `Preference-Applied`, as for `odata.maxpagesize`.
 */
const IMMUTABLE = /(?:^|[,;\s])IdType\s*=\s*"?ImmutableId"?/i;

export const IMMUTABLE_PREFERENCE = 'IdType="ImmutableId"';

export function wantsImmutableIds(headers: Record<string, string>): boolean {
  return IMMUTABLE.test(headers['prefer'] ?? '');
}

/** The id the caller sees for an item, given the form its request asked for. */
export function idFor(item: { id: string; immutableId: string }, immutable: boolean): string {
  return immutable ? item.immutableId : item.id;
}
