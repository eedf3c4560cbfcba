import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyMemoryStats, memoryModelProperty } from './support/memory-model.js';

/**
 * The model test (vdirsyncer's SyncMachine): random user actions on both sides of one to three
 * accounts, moves, soft deletes, crashes, a worker frozen past its lease, processing in random
 * order with duplicates. After the queues drain and a reconcile ran, the DESIGN section 9
 * invariants must hold (support/memory-model.ts). `npm run soak -- --model memory` runs the
 * same model for as long as asked; CI runs this small budget.
 */

const RUNS = Number(process.env.FC_RUNS ?? 60);

describe('engine model: random edits on both sides of several accounts converge', () => {
  it('holds the sync invariants after the queues drain', async () => {
    const stats = emptyMemoryStats();
    await fc.assert(memoryModelProperty(stats), { numRuns: RUNS });
    expect(stats.violations).toEqual({});
    expect(stats.actions).toBeGreaterThan(RUNS);
  });
});
