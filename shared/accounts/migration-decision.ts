import type { DetectedProvider } from './provider.js';

/**
 * What POST /api/accounts/{id}/migrate does with the detected and the requested provider. An
 * explicit Microsoft 365 choice is trusted (it is how a user resolves "Sonderfall Ionos");
 * on-premises Exchange is a valid answer but not something V3 sync can serve yet.
 */

export interface MigrationDecisionInput {
  detected: DetectedProvider;
  requestedProvider?: 'microsoft365' | 'onPremises' | undefined;
  onPremises?: { host: string; username: string } | undefined;
}

export type MigrationDecision =
  | { kind: 'proceed'; provider: 'microsoft365' }
  | { kind: 'chooseProvider'; reason: string }
  | { kind: 'unsupported'; provider: 'onPremises'; message: string };

export function decideMigration(input: MigrationDecisionInput): MigrationDecision {
  if (input.requestedProvider === 'onPremises') {
    const host = input.onPremises ? ` (${input.onPremises.host})` : '';
    return {
      kind: 'unsupported',
      provider: 'onPremises',
      message:
        `On-premises Exchange${host} is not supported yet: V3 sync works with Microsoft 365 ` +
        'mailboxes only. The account stays on V2.',
    };
  }
  if (input.requestedProvider === 'microsoft365') return { kind: 'proceed', provider: 'microsoft365' };
  if (input.detected.provider === 'microsoft365') return { kind: 'proceed', provider: 'microsoft365' };
  return { kind: 'chooseProvider', reason: input.detected.reason };
}
