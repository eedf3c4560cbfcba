/**
 * How each HTTP function decides who may call it (README "Who may do what"). Every HTTP
 * function of FUNCTION_DEFINITIONS must have an entry; test/consistency fails otherwise, and
 * checks that each `bearer` route's handler is wrapped in `authenticated` (functions/api-context.ts).
 * - `bearer`: an Entra ID access token for the API (agent, tenant admin or service caller);
 * - `webhook`: no token, the request proves itself (Graph: the subscription's clientState;
 *   CRM: the HMAC signature);
 * - `public`: nothing to protect (liveness only, no data);
 * - `webSession`: the web app's pages, signed in through the same Entra flow, with a session
 *   cookie; the pages act through the same rules (shared/auth).
 */
export type RouteAuth = 'bearer' | 'webhook' | 'public' | 'webSession';

export const ROUTE_AUTH: Readonly<Record<string, RouteAuth>> = {
  graphNotifications: 'webhook',
  graphLifecycle: 'webhook',
  crmEvents: 'webhook',
  health: 'public',
  accountsList: 'bearer',
  accountsRegister: 'bearer',
  accountsGet: 'bearer',
  accountsRemove: 'bearer',
  accountsMigrate: 'bearer',
  accountsConfirmDeletes: 'bearer',
  accountsExport: 'bearer',
  accountsRejectDeletes: 'bearer',
  auditList: 'bearer',
  accountMailSettingsGet: 'bearer',
  accountMailSettingsPatch: 'bearer',
  tenantMailSettingsGet: 'bearer',
  tenantMailSettingsPatch: 'bearer',
  webApp: 'webSession',
};
