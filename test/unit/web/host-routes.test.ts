import { describe, expect, it } from 'vitest';
import { type FunctionDefinition, hostRoute } from '../../../functions/definitions.js';
import { matchRoute } from '../../../local/host/routes.js';

const handler = async () => ({ status: 200 });
const DEFS: Extract<FunctionDefinition, { trigger: 'http' }>[] = [
  { name: 'accountsGet', trigger: 'http', methods: ['GET'], route: 'accounts/{id}', handler },
  { name: 'hook', trigger: 'http', methods: ['POST'], route: 'graph/notifications', handler },
  { name: 'webApp', trigger: 'http', methods: ['GET', 'POST'], route: '{*path}', mount: 'root', handler },
];

describe('host routes: /api functions and the web app at the site root', () => {
  it('registers API routes under api/ and root-mounted ones as they are (host.json routePrefix "")', () => {
    expect(DEFS.map(hostRoute)).toEqual(['api/accounts/{id}', 'api/graph/notifications', '{*path}']);
  });

  it('matches every /api route before the catch-all, and the catch-all for everything else', () => {
    const api = matchRoute(DEFS, 'GET', '/api/accounts/a1');
    expect(api !== null && api !== 'methodNotAllowed' && api.definition.name).toBe('accountsGet');
    const root = matchRoute(DEFS, 'GET', '/');
    expect(root !== null && root !== 'methodNotAllowed' && root.definition.name).toBe('webApp');
    const page = matchRoute(DEFS, 'POST', '/konten/a1/migrieren');
    expect(page !== null && page !== 'methodNotAllowed' && page.params).toEqual({
      path: 'konten/a1/migrieren',
    });
  });

  it('keeps 405 for an API path asked with another method, and 404 where nothing matches', () => {
    expect(matchRoute(DEFS, 'GET', '/api/graph/notifications')).toBe('methodNotAllowed');
    expect(matchRoute(DEFS, 'DELETE', '/konten')).toBe('methodNotAllowed');
    expect(matchRoute(DEFS.slice(0, 2), 'GET', '/konten')).toBeNull();
  });
});
