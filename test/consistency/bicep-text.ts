import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads the Bicep of infra/ as text. There is no Bicep compiler on the build machines, so the
 * consistency tests read the few declarations they check, which main.bicep keeps in a plain
 * shape: `var name = [ 'a' \n 'b' ]` lists and a `var appSettings = { KEY: expr }` object.
 */

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;

export interface InfraText {
  main: string;
  /** main.bicep and every module, by path relative to infra/. */
  files: Record<string, string>;
}

export function readInfra(root: string = REPO_ROOT): InfraText {
  const dir = join(root, 'infra');
  const files: Record<string, string> = { 'main.bicep': readFileSync(join(dir, 'main.bicep'), 'utf8') };
  for (const name of readdirSync(join(dir, 'modules'))) {
    if (name.endsWith('.bicep')) files[`modules/${name}`] = readFileSync(join(dir, 'modules', name), 'utf8');
  }
  return { main: files['main.bicep']!, files };
}

/** The lines of the block that opens with `opening` and closes at the first line that is only `closer`. */
function blockLines(text: string, opening: RegExp, closer: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => opening.test(line));
  if (start < 0) throw new Error(`no block matching ${opening} in the Bicep text`);
  const end = lines.findIndex((line, index) => index > start && line.trimEnd() === closer);
  if (end < 0) throw new Error(`block ${opening} is not closed by "${closer}"`);
  return lines.slice(start + 1, end);
}

const withoutComment = (line: string) => line.replace(/^\s*\/\/.*$/, '').trim();

/** `var <name> = [ 'a' 'b' ]` (one string per line) → ['a', 'b']. */
export function bicepStringList(text: string, varName: string): string[] {
  return blockLines(text, new RegExp(`^var ${varName} = \\[\\s*$`), ']')
    .map(withoutComment)
    .filter((line) => line !== '')
    .map((line) => {
      const literal = bicepLiteral(line);
      if (literal === null) throw new Error(`var ${varName}: "${line}" is not a string literal`);
      return literal;
    });
}

/** `var <name> = { KEY: expr }` (one entry per line) → Map KEY → expr (the Bicep source text). */
export function bicepObjectEntries(text: string, varName: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of blockLines(text, new RegExp(`^var ${varName} = \\{\\s*$`), '}').map(withoutComment)) {
    if (line === '') continue;
    const match = /^'?([A-Za-z_][A-Za-z0-9_]*)'?\s*:\s*(.+)$/.exec(line);
    if (!match) throw new Error(`var ${varName}: cannot read the entry "${line}"`);
    if (entries.has(match[1]!)) throw new Error(`var ${varName}: ${match[1]} appears twice`);
    entries.set(match[1]!, match[2]!);
  }
  return entries;
}

/** The value of a Bicep string literal without interpolation; null for any other expression. */
export function bicepLiteral(expression: string): string | null {
  const match = /^'((?:[^'\\]|\\.)*)'$/.exec(expression.trim());
  if (!match || match[1]!.includes('${')) return null;
  return match[1]!.replace(/\\(.)/g, '$1');
}

/** `param <name> <type> = '<literal>'` → Map name → literal (params with a string literal default). */
export function bicepParamDefaults(text: string): Map<string, string> {
  const defaults = new Map<string, string>();
  for (const match of text.matchAll(/^param (\w+) \w+ = ('(?:[^'\\]|\\.)*')\s*$/gm)) {
    const literal = bicepLiteral(match[2]!);
    if (literal !== null) defaults.set(match[1]!, literal);
  }
  return defaults;
}

/** The value an app-setting expression has when deployed with default parameters, if it is static. */
export function staticValue(expression: string, paramDefaults: Map<string, string>): string | null {
  return bicepLiteral(expression) ?? paramDefaults.get(expression.trim()) ?? null;
}

/**
 * The `properties` of a resource of `type` declared as a loop over `listParam`, as `key: value`
 * pairs (e.g. requiresSession → 'true'). Null when no such looped resource exists.
 */
export function loopedResourceProperties(
  text: string,
  type: string,
  listParam: string,
): Map<string, string> | null {
  const header = new RegExp(`^resource \\w+ '${type.replace(/[/.]/g, '\\$&')}@[^']+' = \\[\\s*$`, 'm');
  const start = text.search(header);
  if (start < 0) return null;
  const body = text.slice(start, text.indexOf('\n]', start));
  if (!new RegExp(`^\\s*for \\w+ in ${listParam}: \\{`, 'm').test(body)) return null;
  const properties = new Map<string, string>();
  for (const match of body.matchAll(/^\s+(\w+): ([^\s{[][^\n]*)$/gm))
    properties.set(match[1]!, match[2]!.trim());
  return properties;
}

/** The routes (after /api/) of the URLs main.bicep outputs, e.g. 'graph/notifications'. */
export function bicepOutputRoutes(text: string): string[] {
  return [...text.matchAll(/^output \w+ string = '\$\{appBaseUrl\}\/api\/([^']+)'$/gm)].map(
    (match) => match[1]!,
  );
}
