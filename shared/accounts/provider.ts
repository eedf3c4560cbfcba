import { resolveMx } from 'node:dns/promises';

/**
 * Which kind of mailbox an e-mail address lives in, read from its domain's MX records. Only a
 * Microsoft 365 mailbox can be migrated without asking; IONOS-hosted mailboxes ("Sonderfall
 * Ionos" in seeds/001) and everything we cannot recognise need a manual provider choice.
 */

export interface MxResolver {
  resolveMx(domain: string): Promise<{ exchange: string; priority: number }[]>;
}

/** The only I/O of this file: the system resolver. */
export const nodeDnsResolver: MxResolver = { resolveMx: (domain) => resolveMx(domain) };

export type DetectedProvider =
  | { provider: 'microsoft365' }
  | { provider: 'ionos' | 'unknown'; needsChoice: true; reason: string };

const normalise = (host: string) => host.trim().toLowerCase().replace(/\.$/, '');

/** Exchange Online's inbound MX: <domain-key>.mail.protection.outlook.com. */
function isMicrosoft365(host: string): boolean {
  return host.endsWith('.mail.protection.outlook.com');
}

/** `*.ionos.*`, `*.1and1.*` and kundenserver.de (the older IONOS / 1&1 mail hosts). */
function isIonos(host: string): boolean {
  const labels = host.split('.');
  const inner = labels.slice(1, -1);
  return (
    inner.includes('ionos') ||
    inner.includes('1and1') ||
    host === 'kundenserver.de' ||
    host.endsWith('.kundenserver.de')
  );
}

/**
 * Classifies MX host names (in priority order). Any Exchange Online host wins: a third-party
 * filter in front of Microsoft 365 still delivers into a Microsoft 365 mailbox.
 */
export function classifyMx(hosts: string[]): DetectedProvider {
  const clean = hosts.map(normalise).filter((host) => host.length > 0);
  if (clean.some(isMicrosoft365)) return { provider: 'microsoft365' };
  if (clean.some(isIonos)) {
    return {
      provider: 'ionos',
      needsChoice: true,
      reason:
        'The mailbox is hosted at IONOS, where the sign-in variant cannot be detected; ' +
        'choose the provider (Microsoft 365 or on-premises Exchange) manually.',
    };
  }
  return {
    provider: 'unknown',
    needsChoice: true,
    reason:
      clean.length === 0
        ? 'The domain has no MX records; choose the provider manually.'
        : 'The MX records do not point to Microsoft 365; choose the provider manually.',
  };
}

export async function detectProvider(email: string, resolver: MxResolver): Promise<DetectedProvider> {
  const at = email.lastIndexOf('@');
  const domain = at < 0 ? '' : normalise(email.slice(at + 1));
  if (domain.length === 0) {
    return { provider: 'unknown', needsChoice: true, reason: 'The e-mail address has no domain.' };
  }
  try {
    const records = await resolver.resolveMx(domain);
    const hosts = [...records].sort((a, b) => a.priority - b.priority).map((r) => r.exchange);
    return classifyMx(hosts);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    return {
      provider: 'unknown',
      needsChoice: true,
      reason: `The MX lookup for ${domain} failed${typeof code === 'string' ? ` (${code})` : ''}; choose the provider manually.`,
    };
  }
}

export { adminConsentUrl, isConsentError } from './consent.js';
export { decideMigration, type MigrationDecision } from './migration-decision.js';
