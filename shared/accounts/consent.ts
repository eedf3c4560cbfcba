/**
 * Entra admin consent. A V3 account reads the mailbox with application permissions, which an
 * administrator of the mailbox's tenant must grant once ("Administratoren-Genehmigung" in
 * seeds/001). Endpoint form: learn.microsoft.com/entra/identity-platform/v2-admin-consent
 *   {authority}/{tenant}/v2.0/adminconsent?client_id=…&scope=…&redirect_uri=…
 */

/** `.default` asks for every application permission configured on the app registration. */
export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

export function adminConsentUrl(
  tenantId: string,
  clientId: string,
  redirectUri: string,
  authorityHost = 'https://login.microsoftonline.com',
): string {
  const url = new URL(
    `${encodeURIComponent(tenantId)}/v2.0/adminconsent`,
    `${authorityHost.replace(/\/+$/, '')}/`,
  );
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('scope', GRAPH_DEFAULT_SCOPE);
  url.searchParams.set('redirect_uri', redirectUri);
  return url.toString();
}

export interface ConsentErrorShape {
  status?: number;
  code?: string;
  message?: string;
}

/** AADSTS65001: "The user or administrator has not consented to use the application". */
const NOT_CONSENTED = /\bAADSTS65001\b/;
/** Graph's answers when the app token lacks the permission an admin has to grant. */
const GRAPH_DENIED = new Set(['ErrorAccessDenied', 'Authorization_RequestDenied']);

/** True when the error means "an administrator must grant consent" (→ 409 adminConsentRequired). */
export function isConsentError(error: ConsentErrorShape): boolean {
  const code = error.code ?? '';
  if (code === 'consent_required') return true;
  if (NOT_CONSENTED.test(code) || NOT_CONSENTED.test(error.message ?? '')) return true;
  return error.status === 403 && GRAPH_DENIED.has(code);
}
