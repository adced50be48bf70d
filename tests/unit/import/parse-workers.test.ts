import { beforeAll, describe, expect, it } from 'vitest';
import { warmParseWorker } from '../../../api/import/parse-workers';
import { parseContactFile } from '../../../api/import';
import { newlineCsv, unlistedEntryBomb } from '../../support/hostile-files';

/** The longest wait of a 10 ms timer on this thread while `work` runs. */
async function longestTimerDelay(work: () => Promise<unknown>): Promise<number> {
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 10);
    last = now;
  }, 10);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return longest;
}

describe('reading uploads off the event loop', () => {
  // Starting the parse worker takes a second or more on a busy machine: not any one test's time.
  beforeAll(warmParseWorker, 60_000);

  it.each([
    ['a header and 5 MB of newlines', 'liste.csv', () => Promise.resolve(newlineCsv(5))],
    ['an xlsx with an unlisted 200 MB entry', 'liste.xlsx', () => unlistedEntryBomb(200)],
  ])(
    'keeps this thread answering while it refuses %s',
    async (_, filename, build) => {
      const file = await build();
      // Warm the worker, so the figure is the read's and not a worker's start-up.
      await parseContactFile({ file: Buffer.from('Ad,Telefon\nAyşe,05321234567\n'), filename: 'a.csv' });
      let refused: unknown;
      const delay = await longestTimerDelay(() =>
        parseContactFile({ file, filename }).catch((error: unknown) => {
          refused = error;
        }),
      );
      expect(refused).toMatchObject({ status: expect.any(Number) as number });
      expect(delay).toBeLessThan(200);
    },
    60_000,
  );
});
