import type { Caller, EmulatorEnv, EmuRequest, EmuResponse } from './context.js';
import { Directory } from './directory.js';
import { dispatch } from './dispatch.js';
import { FaultState } from './faults.js';
import { mailRoutes } from './mail/index.js';
import { onMailChange } from './mail/mail-store.js';
import { Notifier } from './notifications.js';
import type { OidcDeps } from './oidc.js';
import { RequestLog } from './request-log.js';
import { batchRoutes } from './routes/batch.js';
import { contactRoutes } from './routes/contacts.js';
import { deltaRoutes } from './routes/delta.js';
import { folderRoutes } from './routes/folders.js';
import { mailboxSettingsRoutes } from './routes/mailbox-settings.js';
import { subscriptionRoutes } from './routes/subscriptions.js';
import { GraphStore } from './store.js';
import { notifyMailChange, SubscriptionRegistry } from './subscriptions.js';
import { Throttle } from './throttle.js';
import { TokenIssuer } from './tokens.js';
import type { GraphEmulatorOptions } from './types.js';

/** All state and services of one emulator instance, wired together; no I/O of its own. */
export interface AppSettings {
  origin: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  serviceClientId: string;
  serviceClientSecret: string;
  webClientId: string;
  options: GraphEmulatorOptions;
}

// Order matters: literal segments (`delta`, `childFolders`) before `{id}` parameters.
const ROUTES = [
  ...deltaRoutes,
  ...folderRoutes,
  ...contactRoutes,
  ...mailboxSettingsRoutes,
  ...mailRoutes,
  ...subscriptionRoutes,
  ...batchRoutes,
];

export class GraphApp {
  /** Moved forward by the admin fault `advanceClock`, so expiry and lifecycle timing can be tested. */
  clockOffsetMs = 0;
  readonly now = () => new Date(Date.now() + this.clockOffsetMs);
  readonly store = new GraphStore(this.now);
  readonly faults = new FaultState();
  readonly requestLog = new RequestLog();
  readonly throttle: Throttle;
  readonly notifier: Notifier;
  readonly subscriptions: SubscriptionRegistry;
  readonly issuer: TokenIssuer;
  readonly directory: Directory;
  readonly oidc: OidcDeps;
  readonly env: EmulatorEnv;
  readonly print: (line: string) => void;

  constructor(readonly settings: AppSettings) {
    const { options } = settings;
    this.print = options.log ?? (() => {});
    this.faults.reset(options.latencyMs ?? 0);
    this.throttle = new Throttle(
      options.throttle ?? { requestsPerWindow: 10_000, windowMs: 600_000, concurrency: 4 },
    );
    this.notifier = new Notifier({
      delayMs: options.notificationDelayMs ?? 0,
      attempts: options.notificationRetry?.attempts ?? 4,
      baseDelayMs: options.notificationRetry?.baseDelayMs ?? 200,
      faults: this.faults,
      log: this.print,
    });
    this.notifier.latency = options.notificationLatency ?? { minMs: 0, maxMs: 0 };
    this.subscriptions = new SubscriptionRegistry({
      notifier: this.notifier,
      now: this.now,
      faults: this.faults,
      leadMinutes: options.reauthorizationLeadMinutes ?? 60,
      graceMs: 10 * 60_000,
    });
    this.store.onChange((mailbox, change) => this.subscriptions.onChange(mailbox, change));
    // Message changes come from the mail model (mail/mail-store.ts), for this emulator's mailboxes only.
    this.subscriptions.alsoOnStop(
      onMailChange((mailbox, change) => {
        if (this.store.find(mailbox.id) === mailbox)
          notifyMailChange(this.subscriptions, this.notifier, mailbox, change);
      }),
    );
    this.issuer = new TokenIssuer(settings.origin);
    this.directory = new Directory({
      apiClientId: settings.clientId,
      clientSecret: settings.clientSecret,
      serviceClientId: settings.serviceClientId,
      serviceClientSecret: settings.serviceClientSecret,
      webClientId: settings.webClientId,
      redirectUris: options.redirectUris ?? [],
    });
    this.oidc = {
      origin: settings.origin,
      homeTenantId: settings.tenantId,
      directory: this.directory,
      issuer: this.issuer,
      now: this.now,
      consentRevoked: (tenantId) => this.faults.revokedConsent.get(tenantId),
      // Admin consent grants what revokeConsent took away (the same state Graph's 403 reads).
      grantConsent: (tenantId) => {
        this.faults.revokedConsent.delete(tenantId);
      },
    };
    this.env = {
      store: this.store,
      origin: settings.origin,
      now: this.now,
      subscriptions: this.subscriptions,
      faults: this.faults,
      subscriptionMaxMinutes: options.subscriptionMaxMinutes ?? 10_080,
      dispatch: (req, caller) => this.dispatch(req, caller),
    };
  }

  /** Undoes what the faults `throttle`, `notificationLatency` and `advanceClock` changed. */
  resetSettings(): void {
    const { options } = this.settings;
    this.clockOffsetMs = 0;
    this.notifier.latency = options.notificationLatency ?? { minMs: 0, maxMs: 0 };
    this.throttle.configure({
      scope: 'mailbox',
      retryAfter: 'seconds',
      ...(options.throttle ?? { concurrency: 4 }),
    });
  }

  dispatch(req: EmuRequest, caller: Caller | null): Promise<EmuResponse> {
    return dispatch(
      {
        routes: ROUTES,
        issuer: this.issuer,
        throttle: this.throttle,
        faults: this.faults,
        log: this.requestLog,
        env: () => this.env,
        now: this.now,
        print: this.print,
      },
      req,
      caller,
    );
  }
}
