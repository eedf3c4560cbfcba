/**
 * The `Authorization: Bearer <token>` header (RFC 6750 section 2.1) and the challenge a 401 or
 * 403 answers with (section 3). The description is ours, never the token.
 */
export function bearerToken(header: string | null | undefined): string | null {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec((header ?? '').trim());
  return match?.[1] ?? null;
}

export function bearerChallenge(
  error?: 'invalid_token' | 'insufficient_scope' | 'invalid_request',
  description?: string,
): string {
  if (!error) return 'Bearer realm="api"';
  const safe = (description ?? '').replace(/["\\\r\n]/g, ' ');
  return `Bearer realm="api", error="${error}", error_description="${safe}"`;
}
