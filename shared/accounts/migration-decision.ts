import type { DetectedProvider } from './provider.js';

/**
 * What POST /api/accounts/{id}/migrate does with the detected and the requested provider. An
 * explicit Microsoft 365 choice is trusted (it is how a user resolves "Sonderfall Ionos");
 * an on-premises choice with its host, login and password is connected over EWS (issue 18:
 * shared/service/connect-on-premises.ts); without them there is nothing to connect.
 */

export interface MigrationDecisionInput {
  detected: DetectedProvider;
  requestedProvider?: 'microsoft365' | 'onPremises' | undefined;
  onPremises?: { host: string; username: string } | undefined;
}

export type MigrationDecision =
  | { kind: 'proceed'; provider: 'microsoft365' }
  | { kind: 'connectOnPremises'; provider: 'onPremises'; host: string; username: string }
  | { kind: 'chooseProvider'; reason: string }
  | { kind: 'unsupported'; provider: 'onPremises'; message: string };

export function decideMigration(input: MigrationDecisionInput): MigrationDecision {
  if (input.requestedProvider === 'onPremises') {
    if (input.onPremises) return { kind: 'connectOnPremises', provider: 'onPremises', ...input.onPremises };
    return {
      kind: 'unsupported',
      provider: 'onPremises',
      message:
        'On-premises Exchange needs the Exchange host, the user name and the password. The account stays as it is.',
    };
  }
  if (input.requestedProvider === 'microsoft365') return { kind: 'proceed', provider: 'microsoft365' };
  if (input.detected.provider === 'microsoft365') return { kind: 'proceed', provider: 'microsoft365' };
  return { kind: 'chooseProvider', reason: input.detected.reason };
}
