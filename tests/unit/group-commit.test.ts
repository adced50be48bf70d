import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../api/webhooks/group-commit';

/** A write that takes a while and records its batches and how many ran at once. */
function recordingWrite(fail?: (item: number) => boolean) {
  const batches: number[][] = [];
  const concurrency = { now: 0, max: 0 };
  const write = async (items: number[]) => {
    batches.push(items);
    concurrency.now += 1;
    concurrency.max = Math.max(concurrency.max, concurrency.now);
    await new Promise((resolve) => setTimeout(resolve, 10));
    concurrency.now -= 1;
    if (fail && items.some(fail)) throw new Error(`bad item in ${items.join(',')}`);
    return items.map((item) => item * 10);
  };
  return { batches, concurrency, write };
}

describe('GroupCommit', () => {
  it('writes an idle submit at once and groups the submits that arrive while it is written', async () => {
    const { batches, write } = recordingWrite();
    const group = new GroupCommit(write, { concurrentWrites: 1, batchSize: 100 });
    const results = await Promise.all([1, 2, 3, 4, 5].map((item) => group.submit(item)));
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('keeps batches within the batch size and the writes within the concurrency limit', async () => {
    const { batches, concurrency, write } = recordingWrite();
    const group = new GroupCommit(write, { concurrentWrites: 2, batchSize: 3 });
    const items = Array.from({ length: 10 }, (_, i) => i);
    expect(await Promise.all(items.map((item) => group.submit(item)))).toEqual(items.map((i) => i * 10));
    expect(batches).toEqual([[0], [1], [2, 3, 4], [5, 6, 7], [8, 9]]);
    expect(concurrency.max).toBe(2);
  });

  it('fails only the item that cannot be written, not the others of its batch', async () => {
    const { write } = recordingWrite((item) => item === 3);
    const group = new GroupCommit(write, { concurrentWrites: 1, batchSize: 100 });
    const results = await Promise.allSettled([1, 2, 3, 4].map((item) => group.submit(item)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(results[3]).toEqual({ status: 'fulfilled', value: 40 });
  });
});
