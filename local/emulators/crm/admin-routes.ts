import { z } from 'zod';
import { crmContactInputSchema } from '../../../shared/contact/crm-contact.js';
import type { CrmEmulatorAdmin } from './admin.js';
import { parsePatch } from './contact-routes.js';
import { crmFaultSchema } from './faults.js';
import { type Handler, parseBody, type Request } from './http.js';
import type { Route } from './router.js';

/** The admin API under /_emulator/ (no auth: it is a test tool bound to 127.0.0.1). */

const webhookSchema = z.object({ url: z.url(), secret: z.string().min(1) }).strict();
const seedSchema = z
  .object({ contacts: z.array(crmContactInputSchema.extend({ id: z.string().min(1).optional() })) })
  .strict();

/** A handler that performs an action and answers 204. */
const act =
  (action: (request: Request) => unknown): Handler =>
  async (request) => {
    await action(request);
    return { status: 204 };
  };

export function adminRoutes(admin: CrmEmulatorAdmin): Route[] {
  const id = (request: Request) => request.params.id ?? '';
  return [
    { method: 'POST', template: '/_emulator/reset', handler: act(() => admin.reset()) },
    {
      method: 'POST',
      template: '/_emulator/webhooks',
      handler: act((request) => admin.addWebhook(parseBody(request, webhookSchema))),
    },
    { method: 'DELETE', template: '/_emulator/webhooks', handler: act(() => admin.removeWebhooks()) },
    {
      method: 'POST',
      template: '/_emulator/seed',
      handler: (request) => ({
        status: 200,
        body: { items: admin.seed(parseBody(request, seedSchema).contacts) },
      }),
    },
    {
      method: 'GET',
      template: '/_emulator/contacts',
      handler: () => ({ status: 200, body: { items: admin.contacts() } }),
    },
    {
      method: 'POST',
      template: '/_emulator/contacts',
      handler: (request) => ({
        status: 201,
        body: admin.createAsUser(parseBody(request, crmContactInputSchema)),
      }),
    },
    {
      method: 'POST',
      template: '/_emulator/contacts/{id}/edit',
      handler: (request) => ({ status: 200, body: admin.editAsUser(id(request), parsePatch(request)) }),
    },
    {
      method: 'DELETE',
      template: '/_emulator/contacts/{id}',
      handler: act((request) => admin.deleteAsUser(id(request))),
    },
    {
      method: 'GET',
      template: '/_emulator/requests',
      handler: () => ({ status: 200, body: admin.requests() }),
    },
    { method: 'DELETE', template: '/_emulator/requests', handler: act(() => admin.clearRequests()) },
    {
      method: 'POST',
      template: '/_emulator/faults',
      handler: act((request) => admin.injectFault(parseBody(request, crmFaultSchema))),
    },
    { method: 'DELETE', template: '/_emulator/faults', handler: act(() => admin.clearFaults()) },
    {
      method: 'GET',
      template: '/_emulator/deliveries',
      handler: () => ({ status: 200, body: { items: admin.deliveries() } }),
    },
    { method: 'POST', template: '/_emulator/idle', handler: act(() => admin.idle()) },
  ];
}
