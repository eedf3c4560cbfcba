import type { FunctionDefinition, HttpMethod } from '../../functions/definitions.js';

type HttpDefinition = Extract<FunctionDefinition, { trigger: 'http' }>;

export interface RouteMatch {
  definition: HttpDefinition;
  params: Record<string, string>;
}

/**
 * Matches `/api/<route>` against the route templates of the HTTP functions, the way the
 * Functions host does: `{name}` is one path segment; literal segments must be equal.
 * Returns `methodNotAllowed` when the path exists but not for this method.
 */
export function matchRoute(
  definitions: readonly FunctionDefinition[],
  method: string,
  path: string,
): RouteMatch | 'methodNotAllowed' | null {
  const segments = path.split('/').filter(Boolean);
  let pathExists = false;
  for (const definition of definitions) {
    if (definition.trigger !== 'http') continue;
    const params = matchTemplate(definition.route, segments);
    if (!params) continue;
    pathExists = true;
    if (definition.methods.includes(method.toUpperCase() as HttpMethod)) return { definition, params };
  }
  return pathExists ? 'methodNotAllowed' : null;
}

function matchTemplate(route: string, segments: string[]): Record<string, string> | null {
  const parts = route.split('/').filter(Boolean);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
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
