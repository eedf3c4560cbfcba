/**
 * Where and as whom an on-premises Exchange account connects over EWS (issue 18). Written once
 * by the connect step (Autodiscover, TLS check, a test call with the credentials) and read by
 * every worker that builds the account's EWS transport.
 *
 * The password is never part of this value, nor of any table row: it lives in the SecretStore
 * (Key Vault in Azure, encrypted at rest locally) under `secretName`, and removing the account
 * deletes that secret.
 */
export interface OnPremisesConnection {
  /** The EWS endpoint found by Autodiscover or the `https://{host}/EWS/Exchange.asmx` fallback. */
  ewsUrl: string;
  /** The login as the user typed it: `DOMAIN\user` or a UPN. */
  username: string;
  /** Chosen from the server's `WWW-Authenticate` when the account was connected. */
  auth: 'ntlm' | 'basic';
  /** PEM of the server's internal CA, added to the public roots for this account only; null = public trust. */
  caPem: string | null;
  /** Name of the SecretStore entry that holds the password. */
  secretName: string;
}
