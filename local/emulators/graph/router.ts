import type { RouteHandler } from './context.js';

/**
 * Template routing: `/users/{m}/contacts/{id}`. Literal segments are compared
 * case-insensitively (Graph paths are), and the template doubles as the route name in the
 * request log so tests can count calls per endpoint.
 */
export interface Route {
  method: string;
  template: string;
  handler: RouteHandler;
  /** Only under `/beta` (Graph v1.0 answers such a path as an unknown segment). */
  betaOnly?: boolean;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export function matchRoute(
  routes: Route[],
  method: string,
  path: string,
  version: 'v1.0' | 'beta' = 'v1.0',
): RouteMatch | 'method' | null {
  const segments = path.split('/').filter(Boolean);
  let methodMismatch = false;
  for (const route of routes) {
    if (route.betaOnly && version !== 'beta') continue;
    const params = matchTemplate(route.template, segments);
    if (!params) continue;
    if (route.method !== method) {
      methodMismatch = true;
      continue;
    }
    return { route, params };
  }
  return methodMismatch ? 'method' : null;
}

function matchTemplate(template: string, segments: string[]): Record<string, string> | null {
  const parts = template.split('/').filter(Boolean);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const segment = segments[i] ?? '';
    if (part.startsWith('{')) {
      params[part.slice(1, -1)] = decodeURIComponent(segment);
    } else if (part.toLowerCase() !== segment.toLowerCase()) {
      return null;
    }
  }
  return params;
}
