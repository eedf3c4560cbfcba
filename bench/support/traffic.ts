import dc from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/**
 * Counts every outgoing HTTP request of this process by destination (Azurite tables and
 * queues, Graph, CRM, the host), through Node's diagnostics channels: node:http (the Azure
 * SDKs) and undici (fetch: the Graph client, the CRM adapter, the emulators' deliveries).
 * The emulators' own logs count what reached them; this also sees Azurite, which has none.
 */
export type Side = 'table' | 'queue' | 'graph' | 'crm' | 'host' | 'other';

export interface TrafficCount {
  bySide: Record<Side, number>;
  /** `side METHOD /path-without-ids-and-query`, for finding what dominates. */
  byRoute: Record<string, number>;
}

export function countTraffic(origins: Partial<Record<Side, string>>): { stop(): TrafficCount } {
  const sideOf = new Map<string, Side>();
  for (const [side, url] of Object.entries(origins) as [Side, string][]) sideOf.set(new URL(url).host, side);
  const bySide: Record<Side, number> = { table: 0, queue: 0, graph: 0, crm: 0, host: 0, other: 0 };
  const byRoute = new Map<string, number>();
  const record = (host: string, method: string, path: string) => {
    const side = sideOf.get(host) ?? 'other';
    bySide[side]++;
    const key = `${side} ${method} ${routeOf(side, path)}`;
    byRoute.set(key, (byRoute.get(key) ?? 0) + 1);
  };
  const onHttp = (message: unknown) => {
    const request = (message as { request: ClientRequest }).request;
    record(String(request.getHeader('host') ?? request.host), request.method, request.path);
  };
  const onUndici = (message: unknown) => {
    const request = (message as { request: { origin: string; method: string; path: string } }).request;
    record(new URL(request.origin).host, request.method, request.path);
  };
  dc.subscribe('http.client.request.start', onHttp);
  dc.subscribe('undici:request:create', onUndici);
  return {
    stop() {
      dc.unsubscribe('http.client.request.start', onHttp);
      dc.unsubscribe('undici:request:create', onUndici);
      return { bySide: { ...bySide }, byRoute: Object.fromEntries([...byRoute].sort((a, b) => b[1] - a[1])) };
    },
  };
}

/** Drops the query and anything id-like, so requests group by kind. */
function routeOf(side: Side, path: string): string {
  const [bare = '', query = ''] = path.split('?');
  let route = bare
    .replace(/\/devstoreaccount1/, '')
    .replace(/\(PartitionKey='[^']*',RowKey='[^']*'\)/, '(entity)')
    .replace(/\/[0-9a-f-]{16,}|\/[A-Za-z0-9_=-]{24,}/g, '/{id}');
  if (side === 'table') route = route.replace(/^\/[A-Za-z0-9]+/, '/{table}');
  if (side === 'table' && /\$filter/.test(decodeURIComponent(query))) route += '?$filter';
  return route;
}

/** The table and queue endpoints of an Azurite connection string. */
export function azuriteOrigins(connectionString: string): { table?: string; queue?: string } {
  const part = (key: string) => new RegExp(`${key}=([^;]+)`).exec(connectionString)?.[1];
  const table = part('TableEndpoint');
  const queue = part('QueueEndpoint');
  return { ...(table ? { table } : {}), ...(queue ? { queue } : {}) };
}
