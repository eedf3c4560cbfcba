import { ClientSecretCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RedirectHandlerOptions,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, TimeoutHandler } from './timeout-handler.js';

/**
 * The Graph client for app-only access: the real SDK and the real credential flow, for Graph
 * and for the local emulator alike; only the base URL, the authority host and the trusted CA
 * (NODE_EXTRA_CA_CERTS) differ.
 *
 * - Both URLs must be https: @azure/identity rejects an http authority, and the SDK attaches
 *   the token only to https hosts it recognises (toolchain.md sections 4–5).
 * - `customHosts` holds the bare hostname of a non-Graph base URL, so the token goes there too.
 * - `disableInstanceDiscovery`: MSAL would otherwise ask login.microsoftonline.com whether a
 *   custom authority is known, which fails offline and is pointless for a fixed authority.
 *
 * No RetryHandler: the SDK's default chain (Auth → Retry → Redirect → Telemetry → HTTP) retries
 * 429/503/504 inside the middleware, invisible to our per-mailbox scheduler. Its retries would
 * bypass the request budget, would not hold back the mailbox's other requests while Graph asks
 * us to wait, and would stack a second retry loop on top of ours. MailboxScheduler is the one
 * place that retries, honouring Retry-After (mailbox-scheduler.ts). It also resends a JSON
 * POST after a 503/504 (`isBuffered` is true for every non-stream body), which could make a
 * contact twice (create-retry.ts). A TimeoutHandler gives every request a deadline instead.
 */
export interface GraphClientConfig {
  /** `https://graph.microsoft.com` in Azure; the emulator's URL locally. No version segment. */
  baseUrl: string;
  /** `https://login.microsoftonline.com` in Azure; the emulator's URL locally. */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Deadline of one request (timeout-handler.ts); default 60 s. */
  requestTimeoutMs?: number;
}

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const GRAPH_HOST = 'graph.microsoft.com';

export function createGraphClient(config: GraphClientConfig): Client {
  const baseUrl = httpsUrl(config.baseUrl, 'baseUrl');
  httpsUrl(config.authorityHost, 'authorityHost');
  const credential = new ClientSecretCredential(config.tenantId, config.clientId, config.clientSecret, {
    authorityHost: config.authorityHost,
    disableInstanceDiscovery: true,
  });
  const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: [GRAPH_SCOPE] });
  return Client.initWithMiddleware({
    middleware: [
      new AuthenticationHandler(authProvider),
      new RedirectHandler(new RedirectHandlerOptions()),
      new TelemetryHandler(),
      new TimeoutHandler(config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
      new HTTPMessageHandler(),
    ],
    baseUrl: `${baseUrl.origin}/`,
    defaultVersion: 'v1.0',
    // The SDK compares hostnames without the port; a "/" in a custom host throws.
    ...(baseUrl.hostname === GRAPH_HOST ? {} : { customHosts: new Set([baseUrl.hostname]) }),
  });
}

function httpsUrl(raw: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(`Graph ${name} is not a URL`);
  }
  if (url.protocol !== 'https:') throw new TypeError(`Graph ${name} must use https (got ${url.protocol})`);
  return url;
}
