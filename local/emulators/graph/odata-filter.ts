import { badRequest } from './errors.js';
import { extendedKey, type StoredContact } from './store.js';

/**
 * The `$filter` subset Exchange supports on contacts and the sync needs:
 *   prop eq 'v'                                   (string properties)
 *   emailAddresses/any(a: a/address eq 'v')
 *   singleValueExtendedProperties/any(ep: ep/id eq '…' and ep/value eq '…')
 * joined with `and`. Anything else answers 400 ErrorInvalidUrlQueryFilter, as Exchange does
 * for nodes it cannot evaluate.
 */
export type ContactPredicate = (contact: StoredContact) => boolean;

const TOKEN = /\s*('(?:[^']|'')*'|[A-Za-z_][\w.]*(?:\/[A-Za-z_][\w.]*)*|[():])/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(text);
    if (!match?.[1]) throw invalidFilter();
    tokens.push(match[1]);
  }
  return tokens;
}

export function parseContactFilter(text: string): ContactPredicate {
  const tokens = tokenize(text);
  let i = 0;
  const next = () => {
    const token = tokens[i++];
    if (token === undefined) throw invalidFilter();
    return token;
  };
  const expect = (want: string) => {
    if (next().toLowerCase() !== want) throw invalidFilter();
  };
  const literal = () => {
    const token = next();
    if (!token.startsWith("'")) throw invalidFilter();
    return token.slice(1, -1).replace(/''/g, "'");
  };

  const lambdaClauses = (variable: string) => {
    const clauses: { prop: string; value: string }[] = [];
    do {
      const path = next();
      if (!path.toLowerCase().startsWith(`${variable.toLowerCase()}/`)) throw invalidFilter();
      expect('eq');
      clauses.push({ prop: path.slice(variable.length + 1).toLowerCase(), value: literal() });
    } while (tokens[i]?.toLowerCase() === 'and' && tokens[i + 1] !== undefined && ++i);
    return clauses;
  };

  const term = (): ContactPredicate => {
    const path = next();
    const lambda = path.match(/^(singleValueExtendedProperties|emailAddresses)\/any$/i);
    if (lambda?.[1]) {
      expect('(');
      const variable = next();
      expect(':');
      const clauses = lambdaClauses(variable);
      expect(')');
      return lambda[1].toLowerCase() === 'emailaddresses'
        ? emailPredicate(clauses)
        : extendedPredicate(clauses);
    }
    if (path.includes('/')) throw invalidFilter();
    expect('eq');
    const value = literal();
    return (c) => c.props[path] === value;
  };

  const predicates = [term()];
  while (i < tokens.length) {
    expect('and');
    predicates.push(term());
  }
  return (c) => predicates.every((p) => p(c));
}

function emailPredicate(clauses: { prop: string; value: string }[]): ContactPredicate {
  if (!clauses.every((c) => c.prop === 'address' || c.prop === 'name')) throw invalidFilter();
  return (contact) => {
    const emails = (contact.props['emailAddresses'] ?? []) as {
      address?: string | null;
      name?: string | null;
    }[];
    return emails.some((e) =>
      clauses.every(
        (c) => (c.prop === 'address' ? e.address : e.name)?.toLowerCase() === c.value.toLowerCase(),
      ),
    );
  };
}

function extendedPredicate(clauses: { prop: string; value: string }[]): ContactPredicate {
  const id = clauses.find((c) => c.prop === 'id')?.value;
  const value = clauses.find((c) => c.prop === 'value')?.value;
  if (id === undefined || clauses.some((c) => c.prop !== 'id' && c.prop !== 'value')) throw invalidFilter();
  return (contact) => {
    // "Filtering the string name (Name) in the id of an extended property is case-sensitive.
    // Filtering the value property of an extended property is case-insensitive."
    // (Get singleValueLegacyExtendedProperty)
    const property = contact.extended.get(extendedKey(id));
    return (
      property !== undefined && (value === undefined || property.value.toLowerCase() === value.toLowerCase())
    );
  };
}

function invalidFilter() {
  return badRequest('ErrorInvalidUrlQueryFilter', 'The query filter contains one or more invalid nodes.');
}
