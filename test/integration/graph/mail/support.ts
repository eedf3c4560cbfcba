import type { RunningGraphEmulator } from '../../../../local/emulators/graph/index.js';

/** The Graph emulator's mail admin routes (local/emulators/graph/mail/mail-admin.ts), over HTTP. */
export async function emulatorAdmin(
  emulator: RunningGraphEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
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

/** Mail from outside into `user`'s mailbox; answers its ids. */
export async function receiveMail(
  emulator: RunningGraphEmulator,
  user: string,
  message: Record<string, unknown>,
): Promise<{ id: string; immutableId: string; internetMessageId: string }> {
  const response = await emulatorAdmin(emulator, 'POST', `/users/${user}/messages/receive`, {
    from: person('anna@kunde.example', 'Anna Kunde'),
    subject: 'Anfrage',
    body: { contentType: 'text', content: 'Guten Tag' },
    ...message,
  });
  if (response.status !== 201)
    throw new Error(`receive failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; immutableId: string; internetMessageId: string };
}
