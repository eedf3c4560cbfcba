import type { RunningCrmEmulator } from '../../../local/emulators/crm/index.js';

/** Raw HTTP against the emulator, so tests see statuses and headers exactly as served. */
export interface RawResponse {
  status: number;
  headers: Headers;
  json: unknown;
}

export function rawClient(emulator: RunningCrmEmulator) {
  return async (
    method: string,
    path: string,
    options: {
      body?: unknown;
      rawBody?: string;
      headers?: Record<string, string>;
      token?: string | null;
    } = {},
  ): Promise<RawResponse> => {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? emulator.token : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${emulator.url}${path}`, { method, headers, body });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      json: text === '' ? undefined : JSON.parse(text),
    };
  };
}
