import type { PairPlan } from './plan.js';

/** What a sync run did, summed over its pairs: the figures the demo and the status API show. */
export interface SyncTally {
  createdInCrm: number;
  createdInExchange: number;
  linked: number;
  updatedCrm: number;
  updatedExchange: number;
  deletedInExchange: number;
  removedFromCrm: number;
  unchanged: number;
  conflicts: number;
  keptBack: number;
  failed: number;
  heldDeletes: number;
}

export function emptyTally(): SyncTally {
  return {
    createdInCrm: 0,
    createdInExchange: 0,
    linked: 0,
    updatedCrm: 0,
    updatedExchange: 0,
    deletedInExchange: 0,
    removedFromCrm: 0,
    unchanged: 0,
    conflicts: 0,
    keptBack: 0,
    failed: 0,
    heldDeletes: 0,
  };
}

export function addTally(into: SyncTally, other: SyncTally): SyncTally {
  for (const key of Object.keys(into) as (keyof SyncTally)[]) into[key] += other[key];
  return into;
}

/** The tally of one executed plan. */
export function tallyOf(plan: PairPlan): SyncTally {
  const tally = emptyTally();
  switch (plan.kind) {
    case 'noop':
    case 'refreshLink':
      tally.unchanged = 1;
      break;
    case 'createInCrm':
      tally.createdInCrm = 1;
      break;
    case 'createInExchange':
      tally.createdInExchange = 1;
      tally.keptBack = plan.keptBack.length;
      break;
    case 'update':
      if (!plan.link) tally.linked = 1;
      if (plan.crmPatch) tally.updatedCrm = 1;
      if (plan.exchangePatch) tally.updatedExchange = 1;
      tally.conflicts = plan.conflicts.length;
      if (plan.exchangePatch || !plan.link) tally.keptBack = plan.keptBack.length;
      break;
    case 'deleteExchange':
      tally.deletedInExchange = 1;
      break;
    case 'removeFromCrm':
      tally.removedFromCrm = 1;
      break;
    case 'dropLink':
      tally.unchanged = 1;
      break;
  }
  return tally;
}
