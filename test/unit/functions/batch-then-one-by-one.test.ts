import type { InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { batchThenOneByOne } from '../../../functions/queue-workers.js';

/** The Azure side of batch handling: Service Bus can only complete or abandon a whole batch. */
const context = { warn: () => undefined } as unknown as InvocationContext;

describe('batchThenOneByOne', () => {
  it('runs the batch once when it succeeds', async () => {
    const seen: string[] = [];
    await batchThenOneByOne(
      ['a', 'b'],
      context,
      async (ms) => {
        seen.push(`batch:${ms.join(',')}`);
      },
      async (m) => {
        seen.push(`one:${m}`);
      },
    );
    expect(seen).toEqual(['batch:a,b']);
  });

  it('runs a single message without the batch handler', async () => {
    const seen: string[] = [];
    await batchThenOneByOne(
      ['a'],
      context,
      async () => {
        seen.push('batch');
      },
      async (m) => {
        seen.push(`one:${m}`);
      },
    );
    expect(seen).toEqual(['one:a']);
  });

  it('after a failed batch runs every message alone and throws the first failure (abandon)', async () => {
    const seen: string[] = [];
    const outcome = batchThenOneByOne(
      ['a', 'bad', 'c'],
      context,
      async () => {
        throw new Error('batch failed');
      },
      async (m) => {
        if (m === 'bad') throw new Error('bad message');
        seen.push(`one:${m}`);
      },
    );
    await expect(outcome).rejects.toThrow('bad message');
    expect(seen).toEqual(['one:a', 'one:c']);
  });

  it('completes the batch when every message succeeds alone', async () => {
    await expect(
      batchThenOneByOne(
        ['a', 'b'],
        context,
        async () => {
          throw new Error('batch failed');
        },
        async () => undefined,
      ),
    ).resolves.toBeUndefined();
  });
});
