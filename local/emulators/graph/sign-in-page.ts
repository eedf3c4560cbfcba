import type { EmuResponse } from './context.js';

/**
 * The sign-in page a browser sees at the authorize and admin-consent endpoints: a real form
 * (labelled fields, German first as the product's users are) that POSTs back to the same URL
 * with the request's parameters as hidden fields.
 */
export interface SignInPage {
  action: string;
  hidden: Record<string, string>;
  title: string;
  intro: string;
  login?: string;
  error?: string;
  /** Admin consent has a "cancel" button (answers `error=permission_denied`). */
  cancel?: boolean;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function signInPage(page: SignInPage, status = 200): EmuResponse {
  const hidden = Object.entries(page.hidden)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n      ');
  const error = page.error ? `<p class="error" role="alert" id="error">${escapeHtml(page.error)}</p>` : '';
  const cancel = page.cancel
    ? '<button type="submit" name="cancel" value="1" formnovalidate>Abbrechen</button>'
    : '';
  const html = `<!doctype html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(page.title)}</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 26rem; margin: 4rem auto; padding: 0 1rem; }
    label { display: block; margin-top: 1rem; }
    input[type=text], input[type=email], input[type=password] { width: 100%; padding: .5rem; box-sizing: border-box; }
    button { margin-top: 1.5rem; padding: .5rem 1.5rem; }
    .error { color: #a4262c; }
  </style>
</head>
<body>
  <main>
    <h1>${escapeHtml(page.title)}</h1>
    <p>${escapeHtml(page.intro)}</p>
    ${error}
    <form method="post" action="${escapeHtml(page.action)}">
      ${hidden}
      <label for="login">E-Mail-Adresse oder Benutzername (Sign-in name)</label>
      <input type="email" id="login" name="login" autocomplete="username" required value="${escapeHtml(page.login ?? '')}"${page.error ? ' aria-describedby="error"' : ''}>
      <label for="password">Kennwort (Password)</label>
      <input type="password" id="password" name="password" autocomplete="current-password" required>
      <button type="submit">Anmelden</button>
      ${cancel}
    </form>
  </main>
</body>
</html>`;
  return {
    status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Frame-Options': 'DENY',
      // No form-action: browsers apply it to the redirect that follows the POST as well.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    },
    text: html,
  };
}

/** A page for requests that cannot be redirected (unknown client or redirect URI), as Entra shows. */
export function errorPage(title: string, detail: string): EmuResponse {
  return {
    status: 400,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
    text: `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></main></body></html>`,
  };
}

export function redirect(location: string, headers: Record<string, string> = {}): EmuResponse {
  return { status: 302, headers: { Location: location, 'Cache-Control': 'no-store', ...headers } };
}
