import type { Handler } from './http.js';

/** A route table matched segment by segment; `{name}` segments capture a parameter. */
export interface Route {
  method: string;
  template: string;
  handler: Handler;
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'methodNotAllowed'; template: string; allowed: string[] }
  | { kind: 'notFound' };

function matchTemplate(template: string, path: string): Record<string, string> | null {
  const want = template.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [index, segment] of want.entries()) {
    const actual = got[index] ?? '';
    if (segment.startsWith('{') && segment.endsWith('}')) {
      if (actual === '') return null;
      try {
        params[segment.slice(1, -1)] = decodeURIComponent(actual);
      } catch {
        return null; // a broken %-escape cannot name anything
      }
    } else if (segment !== actual) {
      return null;
    }
  }
  return params;
}

export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const onPath = routes
    .map((route) => ({ route, params: matchTemplate(route.template, path) }))
    .filter((candidate) => candidate.params !== null);
  const hit = onPath.find((candidate) => candidate.route.method === method);
  if (hit?.params) return { kind: 'found', route: hit.route, params: hit.params };
  const first = onPath[0];
  if (first) {
    return {
      kind: 'methodNotAllowed',
      template: first.route.template,
      allowed: onPath.map((candidate) => candidate.route.method),
    };
  }
  return { kind: 'notFound' };
}
