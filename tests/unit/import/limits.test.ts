import { beforeAll, describe, expect, it } from 'vitest';
import { warmParseWorker } from '../../../api/import/parse-workers';
import { DEFAULT_IMPORT_LIMITS, ImportError, parseContactFile, type ImportLimits } from '../../../api/import';
import { csv, xlsx } from './fixtures';

async function failure(file: Buffer, filename: string, limits: Partial<ImportLimits>): Promise<ImportError> {
  const error = await parseContactFile({ file, filename, limits }).catch((e: unknown) => e);
  if (!(error instanceof ImportError)) throw new Error(`expected an ImportError, got ${String(error)}`);
  return error;
}

const lines = (n: number) => [
  'Ad,Telefon',
  ...Array.from({ length: n }, (_, i) => `Kişi ${i},0532${String(i).padStart(7, '0')}`),
];

describe('import limits', () => {
  // Starting the parse worker takes a second or more on a busy machine: not any one test's time.
  beforeAll(warmParseWorker, 60_000);

  it('defaults to 20 MB, 200,000 rows and 200 columns', () => {
    expect(DEFAULT_IMPORT_LIMITS).toMatchObject({
      maxBytes: 20 * 1024 * 1024,
      maxRows: 200_000,
      maxColumns: 200,
    });
  });

  it('refuses a file over the size limit with 413', async () => {
    const error = await failure(csv(lines(50)), 'a.csv', { maxBytes: 100 });
    expect(error).toMatchObject({ code: 'FILE_TOO_LARGE', status: 413 });
  });

  it('counts data rows, not the header or blank lines, against the row limit', async () => {
    const file = csv([...lines(10), '', '', '']);
    await expect(
      parseContactFile({ file, filename: 'a.csv', limits: { maxRows: 10 } }),
    ).resolves.toMatchObject({
      rows: { length: 10 },
    });
    expect(await failure(file, 'a.csv', { maxRows: 9 })).toMatchObject({
      code: 'TOO_MANY_ROWS',
      status: 413,
    });
    const workbook = await xlsx([{ rows: lines(30).map((l) => l.split(',')) }]);
    expect(await failure(workbook, 'a.xlsx', { maxRows: 5 })).toMatchObject({ code: 'TOO_MANY_ROWS' });
  });

  it('refuses too many columns in CSV and xlsx', async () => {
    const wide = Array.from({ length: 12 }, (_, i) => `Kolon ${i}`);
    expect(await failure(csv([wide.join(','), wide.join(',')]), 'a.csv', { maxColumns: 10 })).toMatchObject({
      code: 'TOO_MANY_COLUMNS',
    });
    const workbook = await xlsx([
      {
        rows: [
          ['Ad', 'Telefon'],
          ['Ayşe', '05321234567'],
        ],
        configure: (ws) => {
          ws.getCell('M2').value = 'stray';
        },
      },
    ]);
    expect(await failure(workbook, 'a.xlsx', { maxColumns: 10 })).toMatchObject({ code: 'TOO_MANY_COLUMNS' });
  });
});
