import { type FunctionDefinition, type HttpMethod, hostRoute } from '../../functions/definitions.js';

type HttpDefinition = Extract<FunctionDefinition, { trigger: 'http' }>;

export interface RouteMatch {
  definition: HttpDefinition;
  params: Record<string, string>;
}

/**
 * Matches a path against the route templates of the HTTP functions (`hostRoute`: API routes
 * under `api/`, the web app at the root), the way the Functions host does: `{name}` is one
 * path segment, `{*name}` the rest of the path (catch-all, tried last, as ASP.NET routing ranks
 * it); literal segments must be equal. Returns `methodNotAllowed` when the path exists but not
 * for this method.
 */
export function matchRoute(
  definitions: readonly FunctionDefinition[],
  method: string,
  path: string,
): RouteMatch | 'methodNotAllowed' | null {
  const segments = path.split('/').filter(Boolean);
  const http = definitions.filter((d): d is HttpDefinition => d.trigger === 'http');
  const isCatchAll = (d: HttpDefinition) => /\{\*\w+\}/.test(d.route);
  for (const group of [http.filter((d) => !isCatchAll(d)), http.filter(isCatchAll)]) {
    let pathExists = false;
    for (const definition of group) {
      const params = matchTemplate(hostRoute(definition), segments);
      if (!params) continue;
      pathExists = true;
      if (definition.methods.includes(method.toUpperCase() as HttpMethod)) return { definition, params };
    }
    if (pathExists) return 'methodNotAllowed';
  }
  return null;
}

function matchTemplate(route: string, segments: string[]): Record<string, string> | null {
  const parts = route.split('/').filter(Boolean);
  const rest = /^\{\*(\w+)\}$/.exec(parts.at(-1) ?? '')?.[1];
  if (rest ? segments.length < parts.length - 1 : parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  if (rest) {
    const fixed = parts.slice(0, -1);
    const head = matchTemplate(fixed.join('/'), segments.slice(0, fixed.length));
    if (!head) return null;
    return { ...head, [rest]: segments.slice(fixed.length).join('/') };
  }
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const segment = segments[i]!;
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (name) {
      try {
        params[name] = decodeURIComponent(segment);
      } catch {
        return null;
      }
    } else if (part !== segment) {
      return null;
    }
  }
  return params;
}
