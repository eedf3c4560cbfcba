import type { HttpHandler } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { isAuthenticated } from '../../functions/api-context.js';
import { FUNCTION_DEFINITIONS, type FunctionDefinition } from '../../functions/definitions.js';
import { ROUTE_AUTH, type RouteAuth } from '../../functions/route-auth.js';

/**
 * Every HTTP route has an authorization rule (functions/route-auth.ts), the only routes without
 * a token are the webhooks, the health probe and the web app's pages, and every `bearer`
 * route's handler really is wrapped in `authenticated`. A new route fails here until it has one.
 */
const UNAUTHENTICATED: Record<Exclude<RouteAuth, 'bearer'>, string[]> = {
  webhook: ['graphNotifications', 'graphLifecycle', 'crmEvents'],
  public: ['health'],
  webSession: ['webApp'],
};

function routeAuthProblems(
  definitions: readonly FunctionDefinition[],
  rules: Readonly<Record<string, RouteAuth>>,
  wrapped: (handler: HttpHandler) => boolean,
): string[] {
  const problems: string[] = [];
  const http = definitions.filter((d) => d.trigger === 'http');
  for (const definition of http) {
    const rule = rules[definition.name];
    if (!rule) {
      problems.push(`${definition.name}: no authorization rule in functions/route-auth.ts`);
      continue;
    }
    if (rule === 'bearer' && !wrapped(definition.handler)) {
      problems.push(`${definition.name}: bearer route whose handler is not wrapped in authenticated()`);
    }
    if (rule !== 'bearer' && !UNAUTHENTICATED[rule].includes(definition.name)) {
      problems.push(
        `${definition.name}: ${rule} without a token is only for ${UNAUTHENTICATED[rule].join(', ')}`,
      );
    }
  }
  for (const name of Object.keys(rules)) {
    if (!http.some((d) => d.name === name)) problems.push(`${name}: rule for a route that does not exist`);
  }
  return problems;
}

describe('authorization rule of every HTTP route', () => {
  it('finds no problem', () => {
    expect(routeAuthProblems(FUNCTION_DEFINITIONS, ROUTE_AUTH, isAuthenticated)).toEqual([]);
  });

  it('fails for a route added without a rule, a bearer route left unwrapped, and a new public route', () => {
    const handler: HttpHandler = async () => ({ status: 200 });
    const added: FunctionDefinition[] = [
      ...FUNCTION_DEFINITIONS,
      { name: 'newRoute', trigger: 'http', methods: ['GET'], route: 'new', handler },
      { name: 'sneaky', trigger: 'http', methods: ['GET'], route: 'sneaky', handler },
      { name: 'open', trigger: 'http', methods: ['GET'], route: 'open', handler },
    ];
    const rules = { ...ROUTE_AUTH, sneaky: 'bearer' as const, open: 'public' as const };
    expect(routeAuthProblems(added, rules, isAuthenticated)).toEqual([
      'newRoute: no authorization rule in functions/route-auth.ts',
      'sneaky: bearer route whose handler is not wrapped in authenticated()',
      'open: public without a token is only for health',
    ]);
  });
});
