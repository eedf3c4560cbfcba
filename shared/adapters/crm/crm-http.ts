import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { type CallName, invalidResponseError, networkError, statusError } from './crm-errors.js';
import { type BackoffPolicy, isRetryableStatus, parseRetryAfter, retryDelayMs } from './retry-policy.js';

/**
 * One CRM call over fetch: bearer auth, a timeout per attempt, retries with backoff on
 * network errors, timeouts, 5xx and 429, and every failure turned into a SyncError.
 */

export interface CrmHttpOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  retries: number;
  backoff: BackoffPolicy;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<unknown>;
}

export interface CrmCall extends CallName {
  /** The concrete path, ids already URI-encoded. */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Non-2xx statuses the caller handles itself (e.g. 404 on get). */
  accept?: number[];
}

export interface CrmResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

const crmErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const defaultSleep = (ms: number) => sleep(ms);

export class CrmHttp {
  constructor(private readonly options: CrmHttpOptions) {}

  async send(call: CrmCall): Promise<CrmResponse> {
    const { retries } = this.options;
    for (let attempt = 0; ; attempt += 1) {
      let response: Response;
      let text: string;
      try {
        response = await this.attempt(call);
        text = await response.text();
      } catch (cause) {
        if (attempt < retries) {
          await this.options.sleep(retryDelayMs(attempt + 1, this.options.backoff, undefined));
          continue;
        }
        throw networkError(call, cause, this.options.timeoutMs);
      }
      if (response.ok || call.accept?.includes(response.status)) {
        return {
          status: response.status,
          headers: response.headers,
          body: this.parse(call, response.status, text),
        };
      }
      if (isRetryableStatus(response.status) && attempt < retries) {
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'), new Date());
        await this.options.sleep(retryDelayMs(attempt + 1, this.options.backoff, retryAfter));
        continue;
      }
      throw statusError(call, response.status, this.crmError(text));
    }
  }

  private attempt(call: CrmCall): Promise<Response> {
    const url = new URL(`${this.options.baseUrl.replace(/\/+$/, '')}${call.path}`);
    for (const [name, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${this.options.token}`,
      ...call.headers,
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    return this.options.fetch(url, {
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
  }

  private parse(call: CrmCall, status: number, text: string): unknown {
    if (text === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw invalidResponseError(call, status, 'not JSON');
    }
  }

  /** The CRM's `{ error: { code, message } }`, with the token scrubbed should a server echo it. */
  private crmError(text: string): { code?: string; message?: string } {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return {};
    }
    const parsed = crmErrorBodySchema.safeParse(json);
    if (!parsed.success) return {};
    const scrub = (value: string) => value.replaceAll(this.options.token, '[redacted]').slice(0, 300);
    return { code: scrub(parsed.data.error.code), message: scrub(parsed.data.error.message) };
  }
}
