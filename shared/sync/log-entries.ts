import type { KeptBack } from '../contact/index.js';
import type { LogEntry } from './link.js';
import type { PairPlan } from './plan.js';

/**
 * The per-contact action log lines of an executed plan (DESIGN section 9, rule 9): what was
 * written, which values stayed in the CRM and why, and how conflicts were decided.
 */
export function logEntriesOf(plan: PairPlan, at: string): LogEntry[] {
  switch (plan.kind) {
    case 'noop':
    case 'refreshLink':
      return [];
    case 'createInExchange': {
      const key = `crm:${plan.crm.id}`;
      return [
        entry(key, at, 'info', 'createdInExchange', 'created in the mailbox'),
        ...keptBackEntries(key, at, plan.keptBack),
      ];
    }
    case 'createInCrm':
      return [
        entry(`exchange:${plan.exchange.id}`, at, 'info', 'createdInCrm', 'created in the CRM from Outlook'),
      ];
    case 'update': {
      const key = `crm:${plan.crm.id}`;
      const lines: LogEntry[] = [];
      if (!plan.link)
        lines.push(entry(key, at, 'info', 'linked', `matched with Outlook contact ${plan.exchange.id}`));
      if (plan.crmPatch)
        lines.push(
          entry(
            key,
            at,
            'info',
            'updatedCrm',
            `fields from Outlook: ${Object.keys(plan.crmPatch).join(', ')}`,
          ),
        );
      if (plan.exchangePatch) {
        lines.push(
          entry(
            key,
            at,
            'info',
            'updatedExchange',
            `fields to Outlook: ${Object.keys(plan.exchangePatch).join(', ')}`,
          ),
        );
      }
      for (const c of plan.conflicts) {
        lines.push(
          entry(
            key,
            at,
            'conflict',
            'conflict',
            `${c.field} changed on both sides; the ${c.winner === 'crm' ? 'CRM' : 'Outlook'} value (newer) wins`,
          ),
        );
      }
      if (plan.exchangePatch || !plan.link) lines.push(...keptBackEntries(key, at, plan.keptBack));
      return lines;
    }
    case 'deleteExchange':
      return [
        entry(
          `crm:${plan.link.value.crmId}`,
          at,
          'info',
          'deletedInExchange',
          plan.reason === 'crmDeleted' ? 'deleted in the CRM' : 'sync tag removed',
        ),
      ];
    case 'removeFromCrm':
      return [
        entry(
          `crm:${plan.crm.id}`,
          at,
          'info',
          plan.mode === 'delete' ? 'deletedInCrm' : 'unlinked',
          'deleted in Outlook',
        ),
      ];
    case 'dropLink':
      return [entry(`crm:${plan.link.value.crmId}`, at, 'info', 'unlinked', plan.reason)];
  }
}

const REASONS: Record<KeptBack['reason'], string> = {
  limitReached: 'Exchange has no free slot for it',
  notCanonical: 'not a valid phone number in international form',
  noExchangeField: 'Exchange has no field for it',
  notesNeverSynced: 'notes are never synced',
  empty: 'empty',
  duplicate: 'already in another slot',
};

function keptBackEntries(key: string, at: string, keptBack: KeptBack[]): LogEntry[] {
  return keptBack
    .filter((k) => k.reason !== 'empty')
    .map((k) =>
      entry(
        key,
        at,
        'warning',
        'keptBack',
        `${k.field}${k.index === null ? '' : `[${k.index}]`} "${truncate(k.value)}" stays in the CRM: ${REASONS[k.reason]}`,
      ),
    );
}

function truncate(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}

function entry(
  contactKey: string,
  at: string,
  level: LogEntry['level'],
  action: string,
  detail: string,
): LogEntry {
  return { contactKey, at, level, action, detail };
}
