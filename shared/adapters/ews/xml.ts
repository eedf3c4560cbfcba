import { XMLParser } from 'fast-xml-parser';

/**
 * XML for EWS, both ways. Parsing keeps every value a string (`parseTagValue: false`), so a
 * phone number `0421…` or a postal code `01067` keeps its leading zero, and keeps element
 * order, which the EWS schema fixes. Namespaces are resolved to URIs, so a reader never
 * depends on which prefix (`t:`, `m:`, `s:` or none) the other side chose.
 */
export const NS = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  types: 'http://schemas.microsoft.com/exchange/services/2006/types',
  messages: 'http://schemas.microsoft.com/exchange/services/2006/messages',
  errors: 'http://schemas.microsoft.com/exchange/services/2006/errors',
} as const;

export interface XmlElement {
  ns: string;
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** Parses a document into its root element; throws an Error on malformed XML. */
export function parseXml(xml: string): XmlElement {
  const nodes = parser.parse(xml) as OrderedNode[];
  const roots = convert(nodes, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]));
  const root = roots.find((n) => n.name !== '');
  if (!root) throw new Error('The document has no root element.');
  return root;
}

function convert(nodes: OrderedNode[], scope: Map<string, string>): XmlElement[] {
  const out: XmlElement[] = [];
  for (const node of nodes) {
    const tag = Object.keys(node).find((k) => k !== ':@');
    if (tag === undefined || tag === '#text' || tag === '#comment' || tag.startsWith('?')) continue;
    const rawAttrs = node[':@'] ?? {};
    const inner = new Map(scope);
    const attrs: Record<string, string> = {};
    for (const [key, value] of Object.entries(rawAttrs)) {
      if (key === 'xmlns') inner.set('', value);
      else if (key.startsWith('xmlns:')) inner.set(key.slice(6), value);
    }
    for (const [key, value] of Object.entries(rawAttrs)) {
      if (key === 'xmlns' || key.startsWith('xmlns:')) continue;
      // Unprefixed attributes have no namespace; EWS uses only those (and xml:lang, xsi:*).
      attrs[key.includes(':') ? key.slice(key.indexOf(':') + 1) : key] = value;
    }
    const colon = tag.indexOf(':');
    const prefix = colon < 0 ? '' : tag.slice(0, colon);
    const ns = inner.get(prefix);
    if (ns === undefined && prefix !== '') throw new Error(`The prefix '${prefix}' is not declared.`);
    const children = (node[tag] as OrderedNode[] | undefined) ?? [];
    const text = children
      .map((c) => c['#text'])
      .filter((t): t is string => typeof t === 'string')
      .join('');
    out.push({
      ns: ns ?? '',
      name: colon < 0 ? tag : tag.slice(colon + 1),
      attrs,
      children: convert(children, inner),
      text,
    });
  }
  return out;
}

export function child(element: XmlElement | undefined, name: string, ns?: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name && (ns === undefined || c.ns === ns));
}

export function children(element: XmlElement | undefined, name?: string, ns?: string): XmlElement[] {
  return (
    element?.children.filter(
      (c) => (name === undefined || c.name === name) && (ns === undefined || c.ns === ns),
    ) ?? []
  );
}

/** Follows a path of child names; undefined when any step is missing. */
export function path(element: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let current = element;
  for (const name of names) current = child(current, name);
  return current;
}

/** Escapes text and attribute values (the five XML entities; control characters dropped). */
export function esc(value: string): string {
  return (
    value
      // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters.
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/** `<t:Name>text</t:Name>` with the text escaped. */
export function el(name: string, text: string, attrs: Record<string, string> = {}): string {
  return `<${name}${attributes(attrs)}>${esc(text)}</${name}>`;
}

export function attributes(attrs: Record<string, string>): string {
  return Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
}
