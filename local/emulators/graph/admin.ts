import { AdminError } from './admin-error.js';
import type { GraphApp } from './app.js';
import { contactView } from './contact-view.js';
import { type Fault, faultSchema } from './faults.js';
import { outlookUserAdmin } from './outlook-user.js';
import type { Mailbox } from './store.js';
import { subscriptionInfo } from './subscriptions.js';
import { isKnownTimeZone } from './time-zones.js';
import type { GraphEmulatorAdmin, MailboxInfo } from './types.js';

export { AdminError };

/**
 * The admin API: what only a person, a tenant admin or Microsoft can make happen. In-process
 * through `GraphEmulatorAdmin`, over HTTP under `/_emulator/` (no auth, local only).
 *
 * | Route | Does |
 * | --- | --- |
 * | `POST /reset` | forget everything (mailboxes, subscriptions, faults, clock) |
 * | `POST /mailboxes` `{mail, id?, tenantId?, displayName?, timeZone?, password?, roles?}` | a mailbox (and user); `timeZone` is a Windows name, default `W. Europe Standard Time` |
 * | `GET /mailboxes`, `GET /mailboxes/{m}/contacts` | mailboxes; contacts in contact folders (not Deleted Items) |
 * | `POST /users/{u}/contacts`, `PATCH /users/{u}/contacts/{id}` | create/edit as Outlook: a date-only birthday becomes local midnight of the mailbox zone in UTC |
 * | `POST /users/{u}/contacts/{id}/move` `{destinationId}` | a drag to a folder id, `contacts` or `deleteditems`; answers the contact (`id`, `immutableId`) |
 * | `DELETE /users/{u}/contacts/{id}` | delete in Outlook: to Deleted Items (purged if already there) |
 * | `GET /users/{u}/deletedItems` | the contacts in Deleted Items (restore: move them back) |
 * | `DELETE /users/{u}/contactFolders/{id}` | delete a folder with its contacts |
 * | `GET /subscriptions`, `GET`/`DELETE /requests`, `POST /notifications/flush` | inspect; wait for deliveries |
 * | `POST /faults` `{kind, …}` | one of the fault kinds below |
 *
 * | Fault kind | Effect |
 * | --- | --- |
 * | `status` `{status, count, route?, retryAfter?}` | the next `count` Graph requests answer 429/500/503/504; without `retryAfter` 5xx carry no Retry-After and 429 follows the throttle mode |
 * | `throttle` `{concurrency?, scope?: mailbox\|app, retryAfter?: seconds\|missing\|one}` | the concurrent limit, whose requests share it, and Retry-After on 429 |
 * | `latency` `{ms}` | added time per Graph request |
 * | `mailboxUnavailable` `{mailbox, as: MailboxNotEnabledForRESTAPI\|ResourceNotFound\|ErrorAccessDenied}` / `mailboxAvailable` `{mailbox}` | every request on the mailbox answers 404/404/403 as Graph does, until available |
 * | `revokeConsent` `{tenantId?, at?: graph\|token}` / `grantConsent` | missing admin consent |
 * | `expireDeltaTokens` `{mailbox?}` | every delta token answers 410 SyncStateNotFound |
 * | `repeatDeltaItems` `{count}` | the next `count` delta pages serve an already served item again |
 * | `dropNotifications` `{count, missed?}` / `duplicateNotifications` / `delayNotifications` `{count, ms}` / `reorderNotifications` | change-notification delivery faults; `missed: true` also posts the `missed` lifecycle event |
 * | `notificationLatency` `{minMs, maxMs}` | each change notification waits a random delivery latency |
 * | `silentDeletes` `{count}` | the next `count` soft deletes send no `deleted` notification |
 * | `lifecycle` `{id, event, pause?}` | posts reauthorizationRequired (pausing delivery until reauthorize/renew unless `pause: false`), subscriptionRemoved or missed |
 * | `removeSubscription` `{id}` / `expireSubscription` `{id}` | Graph removes / expires a subscription |
 * | `advanceClock` `{ms}` | moves the emulator's clock (subscription expiry, reauthorization, token lifetimes) |
 */

const info = (m: Mailbox, roles: string[]): MailboxInfo => ({
  id: m.id,
  mail: m.mail,
  tenantId: m.tenantId,
  defaultFolderId: m.defaultFolderId,
  deletedItemsFolderId: m.deletedItemsFolderId,
  timeZone: m.timeZone,
  roles,
});

export function createAdmin(app: GraphApp): GraphEmulatorAdmin {
  const mailbox = (idOrUpn: string) => {
    const found = app.store.find(idOrUpn);
    if (!found) throw new AdminError(404, `no mailbox '${idOrUpn}'`);
    return found;
  };
  const subscription = (id: string) => {
    const found = app.subscriptions.get(id);
    if (!found) throw new AdminError(404, `no active subscription '${id}'`);
    return found;
  };

  return {
    outlook: outlookUserAdmin(app),
    reset() {
      app.store.reset();
      app.directory.reset();
      app.subscriptions.clear();
      app.requestLog.clear();
      app.throttle.clearStats();
      app.faults.reset(app.settings.options.latencyMs ?? 0);
      app.resetSettings();
    },
    createMailbox(input) {
      if (!input.mail) throw new AdminError(400, 'mail is required');
      if (input.password !== undefined && (typeof input.password !== 'string' || input.password === '')) {
        throw new AdminError(400, 'password must be a non-empty string');
      }
      if (
        input.roles !== undefined &&
        (!Array.isArray(input.roles) || input.roles.some((r) => typeof r !== 'string'))
      ) {
        throw new AdminError(400, 'roles must be an array of strings');
      }
      if (input.timeZone !== undefined && !isKnownTimeZone(input.timeZone)) {
        throw new AdminError(400, `unknown Windows time zone '${input.timeZone}'`);
      }
      if (app.store.find(input.mail) || (input.id && app.store.find(input.id))) {
        throw new AdminError(409, `mailbox '${input.id ?? input.mail}' already exists`);
      }
      const created = app.store.createMailbox({
        id: input.id ?? crypto.randomUUID(),
        mail: input.mail,
        tenantId: input.tenantId ?? app.settings.tenantId,
        displayName: input.displayName ?? input.mail,
        timeZone: input.timeZone,
      });
      const roles = input.roles ?? [];
      app.directory.addUser({
        id: created.id,
        mail: created.mail,
        tenantId: created.tenantId,
        displayName: created.displayName,
        password: input.password ?? null,
        roles,
      });
      return info(created, roles);
    },
    mailboxes: () => app.store.all().map((m) => info(m, app.directory.find(m.id)?.roles ?? [])),
    contacts(idOrUpn) {
      const m = mailbox(idOrUpn);
      return [...m.contacts.values()]
        .filter((c) => c.folderId !== m.deletedItemsFolderId)
        .map((c) => contactView(c, { expandExtended: [] }));
    },
    subscriptions: () => app.subscriptions.all().map(subscriptionInfo),
    requests: () => app.requestLog.summary(app.throttle.stats()),
    clearRequests() {
      app.requestLog.clear();
      app.throttle.clearStats();
    },
    async fault(input: Fault) {
      const parsed = faultSchema.safeParse(input);
      if (!parsed.success) throw new AdminError(400, `invalid fault: ${parsed.error.message}`);
      applyFault(app, parsed.data, mailbox, subscription);
    },
    idle: () => app.notifier.idle(),
    signToken: (claims, header) => app.issuer.sign(claims, header),
    publicKeyPem: () => app.issuer.publicKeyPem(),
    rotateSigningKey: () => app.issuer.rotate(),
  };
}

function applyFault(
  app: GraphApp,
  fault: ReturnType<typeof faultSchema.parse>,
  mailbox: (m: string) => Mailbox,
  subscription: (id: string) => ReturnType<GraphApp['subscriptions']['all']>[number],
): void {
  const notifications = app.faults.notifications;
  switch (fault.kind) {
    case 'dropNotifications':
      notifications.drop += fault.count;
      app.faults.dropMissed = fault.missed;
      return;
    case 'duplicateNotifications':
      notifications.duplicate += fault.count;
      return;
    case 'delayNotifications':
      notifications.delay = { count: notifications.delay.count + fault.count, ms: fault.ms };
      return;
    case 'reorderNotifications':
      notifications.reorder += fault.count;
      return;
    case 'status':
      app.faults.bursts.push({
        status: fault.status,
        remaining: fault.count,
        route: fault.route,
        retryAfter: fault.retryAfter,
      });
      return;
    case 'expireDeltaTokens':
      for (const m of fault.mailbox ? [mailbox(fault.mailbox)] : app.store.all()) m.syncGeneration++;
      return;
    case 'removeSubscription':
      app.subscriptions.lifecycle(subscription(fault.id), 'subscriptionRemoved');
      return;
    case 'expireSubscription':
      subscription(fault.id).expirationDateTime = new Date(app.now().getTime() - 1);
      return;
    case 'lifecycle':
      app.subscriptions.lifecycle(subscription(fault.id), fault.event, fault.pause ? 0 : null);
      return;
    case 'revokeConsent':
      app.faults.revokedConsent.set(fault.tenantId ?? app.settings.tenantId, fault.at);
      return;
    case 'grantConsent':
      app.faults.revokedConsent.delete(fault.tenantId ?? app.settings.tenantId);
      return;
    case 'latency':
      app.faults.latencyMs = fault.ms;
      return;
    case 'mailboxUnavailable':
      app.faults.unavailable.set(mailbox(fault.mailbox).id, fault.as);
      return;
    case 'mailboxAvailable':
      app.faults.unavailable.delete(mailbox(fault.mailbox).id);
      return;
    case 'repeatDeltaItems':
      app.faults.deltaRepeats += fault.count;
      return;
    case 'silentDeletes':
      app.faults.silentDeletes += fault.count;
      return;
    case 'notificationLatency':
      app.notifier.latency = { minMs: fault.minMs, maxMs: Math.max(fault.minMs, fault.maxMs) };
      return;
    case 'throttle':
      app.throttle.configure({
        concurrency: fault.concurrency,
        scope: fault.scope,
        retryAfter: fault.retryAfter,
      });
      return;
    case 'advanceClock':
      app.clockOffsetMs += fault.ms;
      app.subscriptions.sweep();
      return;
  }
}
