import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { runtime } from './runtime.js';

/** GET /api/health — liveness, and which services this instance talks to (hosts only, no secrets). */
export async function health(_request: HttpRequest): Promise<HttpResponseInit> {
  const rt = await runtime();
  const host = (url: string) => new URL(url).host;
  return {
    status: 200,
    jsonBody: {
      status: 'ok',
      now: rt.deps.clock.now().toISOString(),
      connectedTo: {
        graph: host(rt.config.graph.baseUrl),
        identity: host(rt.config.graph.authorityHost),
        crm: host(rt.config.crm.baseUrl),
        storage: storageHost(rt.config.storageConnection),
        queue: rt.config.queueTransport === 'servicebus' ? rt.config.serviceBusNamespace : 'storage queues',
      },
    },
  };
}

function storageHost(connection: string): string {
  if (/^https?:\/\//i.test(connection)) return new URL(connection).host;
  const endpoint = /TableEndpoint=([^;]+)/i.exec(connection)?.[1];
  if (endpoint) return new URL(endpoint).host;
  const account = /AccountName=([^;]+)/i.exec(connection)?.[1];
  return account ? `${account}.table.core.windows.net` : 'development storage';
}
