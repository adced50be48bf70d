import { beforeAll, describe, expect, it } from 'vitest';
import { warmParseWorker } from '../../../api/import/parse-workers';
import { applyMapping, importContacts, parseContactFile } from '../../../api/import';
import { PhonePrefetch, PREFETCH_MIN_BYTES } from '../../../api/import/phone-prefetch';
import { normalizePhone } from '../../../domain/phone';
import type { DncLookup } from '../../../api/import';
import { fakeDnc, xlsx, type CellInput } from './fixtures';

const base = { defaultCountry: 'TR', requiredVariables: ['amount'] };

/** Every way a phone cell turns up, valid or not, Turkish or foreign, typed or numeric. */
function phoneCell(i: number): CellInput {
  const national = `5${30 + (i % 30)}${String(1_000_000 + ((i * 7919) % 9_000_000)).padStart(7, '0')}`;
  const [a, b, c, d] = [national.slice(0, 3), national.slice(3, 6), national.slice(6, 8), national.slice(8)];
  const forms: CellInput[] = [
    `0${a} ${b} ${c} ${d}`,
    `+90 (${a}) ${b}-${c}${d}`,
    Number(national),
    `90 ${a} ${b} ${c} ${d}`,
    `0090${national}`,
    `0${national}`,
    `tel:+90${national}`,
    `'0${national}`,
    `${national}.0`,
    `0212 ${b} ${c} ${d}`,
    `+44 20 7946 ${String(i % 10_000).padStart(4, '0')}`,
    `0${a} ${b}`,
    'yok',
    null,
    `+1 212 555 ${String(i % 10_000).padStart(4, '0')}`,
    `0${national} dahili 12`,
  ];
  return forms[i % forms.length] ?? null;
}

function rows(count: number, phone: (i: number) => CellInput = phoneCell): CellInput[][] {
  const header = ['Müşteri No', 'Ad Soyad', 'Telefon', 'Tutar', 'İş Telefonu'];
  const body = Array.from({ length: count }, (_, i) => [
    100_000 + i,
    `Kişi ${i}`,
    // Every 97th row repeats an earlier number.
    phone(i % 97 === 96 ? i - 40 : i),
    i % 50 === 0 ? null : (i % 900) + 0.5,
    `0212 555 ${String(i % 100).padStart(2, '0')} ${String(i % 97).padStart(2, '0')}`,
  ]);
  return [['Borç listesi'], header, ...body];
}

/** The rows as the xlsx reader hands them over: trimmed text. */
function textRows(count: number): string[][] {
  const text = (cell: CellInput): string =>
    typeof cell === 'string' ? cell.trim() : typeof cell === 'number' ? String(cell) : '';
  return rows(count).map((row) => row.map(text));
}

describe('phone prefetch', () => {
  // Starting the parse worker takes a second or more on a busy machine: not any one test's time.
  beforeAll(warmParseWorker, 60_000);

  it('leaves a large import exactly as the single-threaded path makes it', async () => {
    const file = await xlsx([{ rows: rows(14_000) }]);
    expect(file.length).toBeGreaterThanOrEqual(PREFETCH_MIN_BYTES);
    const isOnDnc = fakeDnc(['+905301000000', '+905371063900']);

    const prefetched = await importContacts({ ...base, file, filename: 'borc.xlsx', isOnDnc });
    const plain = await applyMapping(await parseContactFile({ file, filename: 'borc.xlsx' }), undefined, {
      ...base,
      isOnDnc,
    });

    expect(prefetched).toEqual(plain);
    expect(plain.report.invalid).toBeGreaterThan(1000);
    expect(plain.report.duplicates).toBeGreaterThan(100);
  }, 60_000);

  it('normalises the guessed column in the worker, with the same results as normalizePhone', async () => {
    const table = textRows(3_000);
    const prefetch = new PhonePrefetch(base);
    for (const cells of table) prefetch.offer(cells);
    const phones = await prefetch.results();

    const raws = table.slice(2).map((cells) => cells[2] ?? '');
    expect(phones.size).toBe(new Set(raws.filter((raw) => raw !== '')).size);
    for (const raw of raws) expect(phones.normalize(raw, 'TR')).toEqual(normalizePhone(raw, 'TR'));
  });

  it('falls back to normalizePhone for a column or a country it did not prefetch', async () => {
    const table = textRows(400);
    const prefetch = new PhonePrefetch(base);
    for (const cells of table) prefetch.offer(cells);
    const phones = await prefetch.results();

    for (const cells of table.slice(2)) {
      const work = cells[4] ?? '';
      const mobile = cells[2] ?? '';
      expect(phones.normalize(work, 'TR')).toEqual(normalizePhone(work, 'TR'));
      expect(phones.normalize(mobile, 'GB')).toEqual(normalizePhone(mobile, 'GB'));
    }
  });

  it('checks the numbers against the DNC list while the file is read; mapping asks only about the rest', async () => {
    const file = await xlsx([{ rows: rows(14_000) }]);
    const listed = ['+905311007919', '+905321015838'];
    const read = async (duringRead: DncLookup) => {
      const prefetch = new PhonePrefetch({ ...base, isOnDnc: duringRead });
      const sheet = await parseContactFile({ file, filename: 'borc.xlsx', onRow: prefetch.offer });
      const afterRead = fakeDnc(listed);
      const result = await applyMapping(sheet, undefined, {
        ...base,
        isOnDnc: afterRead,
        phones: await prefetch.results(),
      });
      return { sheet, result, afterRead };
    };

    const duringRead = fakeDnc(listed);
    const { sheet, result, afterRead } = await read(duringRead);
    const plain = await applyMapping(sheet, undefined, { ...base, isOnDnc: fakeDnc(listed) });
    expect(result).toEqual(plain);
    expect(plain.report.dnc).toBe(2);
    expect(duringRead.calls.length).toBeGreaterThan(1);
    expect(afterRead.calls).toEqual([]);

    // A lookup that fails while reading leaves those numbers to applyMapping.
    const failing = await read(() => Promise.reject(new Error('database away')));
    expect(failing.result).toEqual(plain);
    expect(failing.afterRead.calls.flat()).toHaveLength(plain.report.valid + plain.report.dnc);
  }, 60_000);

  it('prefetches nothing when the first rows have no header', async () => {
    const prefetch = new PhonePrefetch(base);
    for (let i = 0; i < 300; i++) prefetch.offer([`0532 123 ${String(i).padStart(4, '0')}`]);
    expect((await prefetch.results()).size).toBe(0);
  });
});
