import type { GraphStore } from './store.js';

/** What a route handler gets and returns; the server and `$batch` both build these. */
export interface EmuRequest {
  method: string;
  /** `beta` for beta-only routes (a route may be marked so; none is at present); v1.0 otherwise. */
  version?: 'v1.0' | 'beta';
  /** Path below `/v1.0` (or `/beta`), e.g. `/users/x/contacts`. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: unknown;
  requestId: string;
  clientRequestId: string;
}

export interface EmuResponse {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
}

export interface Caller {
  tenantId: string;
  appId: string;
}

/** The shared services a route may use. */
export interface EmulatorEnv {
  store: GraphStore;
  /** https://127.0.0.1:PORT */
  origin: string;
  now(): Date;
  subscriptions: import('./subscriptions.js').SubscriptionRegistry;
  faults: import('./faults.js').FaultState;
  /** Longest subscription lifetime in minutes (10,080 by default). */
  subscriptionMaxMinutes: number;
  /** Runs a Graph request through the whole pipeline (used by `$batch`). */
  dispatch(req: EmuRequest, caller: Caller | null): Promise<EmuResponse>;
}

export interface RouteArgs {
  req: EmuRequest;
  params: Record<string, string>;
  caller: Caller;
  env: EmulatorEnv;
}

export type RouteHandler = (args: RouteArgs) => EmuResponse | Promise<EmuResponse>;

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): EmuResponse => ({
  status,
  json: body,
  headers,
});
