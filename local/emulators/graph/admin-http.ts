import { AdminError } from './admin.js';
import type { EmuResponse } from './context.js';
import type { Fault } from './faults.js';
import { outlookUserRoute } from './outlook-user-http.js';
import type { GraphEmulatorAdmin } from './types.js';

/** `/_emulator/…`: the admin API over HTTP (no auth, local only), mapped onto `GraphEmulatorAdmin`. */
export async function handleAdmin(
  admin: GraphEmulatorAdmin,
  method: string,
  path: string,
  body: unknown,
): Promise<EmuResponse> {
  const segments = path.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
  const route = `${method} /${segments.map((s, i) => (i === 1 && segments[0] === 'mailboxes' ? '{m}' : s)).join('/')}`;
  const input = (body ?? {}) as Record<string, unknown>;
  try {
    if (segments[0] === 'users') return outlookUserRoute(admin.outlook, method, segments, body);
    switch (route) {
      case 'POST /reset':
        admin.reset();
        return { status: 204 };
      case 'POST /mailboxes':
        return {
          status: 201,
          json: admin.createMailbox(input as unknown as Parameters<GraphEmulatorAdmin['createMailbox']>[0]),
        };
      case 'GET /mailboxes':
        return { status: 200, json: { value: admin.mailboxes() } };
      case 'GET /mailboxes/{m}/contacts':
        return { status: 200, json: { value: admin.contacts(segments[1] ?? '') } };
      case 'GET /subscriptions':
        return { status: 200, json: { value: admin.subscriptions() } };
      case 'GET /requests':
        return { status: 200, json: admin.requests() };
      case 'DELETE /requests':
        admin.clearRequests();
        return { status: 204 };
      case 'POST /faults':
        await admin.fault(input as Fault);
        return { status: 204 };
      case 'POST /signing-keys/rotate':
        admin.rotateSigningKey();
        return { status: 204 };
      case 'POST /tokens':
        return {
          status: 201,
          json: {
            token: admin.signToken(
              (input['claims'] ?? {}) as Record<string, unknown>,
              (input['header'] ?? {}) as Record<string, unknown>,
            ),
          },
        };
      case 'POST /notifications/flush':
        await admin.idle();
        return { status: 204 };
      default:
        return { status: 404, json: { error: `unknown admin route ${method} ${path}` } };
    }
  } catch (error) {
    const status = error instanceof AdminError ? error.status : 400;
    return { status, json: { error: error instanceof Error ? error.message : String(error) } };
  }
}
