import { expect } from 'vitest';
import type { RunningGraphEmulator } from '../../../local/emulators/graph/index.js';
import { call } from './support.js';

/** Helpers for the mail conformance tests: the admin API and one delta round. */

export async function admin(emulator: RunningGraphEmulator, method: string, path: string, body?: unknown) {
  const response = await fetch(`${emulator.url}/_emulator${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

export const person = (address: string, name?: string) => ({
  emailAddress: { address, ...(name ? { name } : {}) },
});

/** Mail from outside into `user`'s mailbox (Inbox unless `folder` says otherwise). */
export async function receive(
  emulator: RunningGraphEmulator,
  user: string,
  message: Record<string, unknown>,
) {
  const response = await admin(emulator, 'POST', `/users/${user}/messages/receive`, {
    from: person('anna@kunde.example', 'Anna Kunde'),
    subject: 'Anfrage',
    body: { contentType: 'text', content: 'Guten Tag' },
    ...message,
  });
  expect(response.status).toBe(201);
  return response.body as { id: string; immutableId: string; internetMessageId: string };
}

export interface Round {
  items: Record<string, unknown>[];
  pages: Record<string, unknown>[];
  deltaLink: string;
}

/** Follows nextLinks to the deltaLink, as a delta client does. */
export async function round(
  emulator: RunningGraphEmulator,
  token: string,
  start: string,
  headers: Record<string, string> = {},
): Promise<Round> {
  const items: Record<string, unknown>[] = [];
  const pages: Record<string, unknown>[] = [];
  let url = start;
  for (let guard = 0; guard < 100; guard += 1) {
    const page = await call(emulator, token, 'GET', url, { headers });
    expect(page.status, JSON.stringify(page.body).slice(0, 300)).toBe(200);
    pages.push(page.body);
    items.push(...(page.body['value'] as Record<string, unknown>[]));
    const next = page.body['@odata.nextLink'];
    if (typeof next === 'string') {
      url = next;
      continue;
    }
    return { items, pages, deltaLink: page.body['@odata.deltaLink'] as string };
  }
  throw new Error('delta round did not end');
}
