import ExcelJS from 'exceljs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  campaignAction,
  campaignConfig,
  contactsCsv,
  createCampaign,
  getCampaign,
  waitForCampaign,
} from '../support/campaigns';
import { createTenant, eventually, startTestStack, type TestStack } from '../support/stack';

const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/** The results download, read whole. */
function downloadResults(stack: TestStack, apiKey: string, id: string, format: 'csv' | 'xlsx') {
  return request(stack.apiUrl)
    .get(`/v1/campaigns/${id}/results?format=${format}`)
    .set('authorization', `Bearer ${apiKey}`)
    .buffer(true)
    .parse(binary)
    .expect(200);
}

/** A minimal RFC 4180 reader for the assertions (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endCell();
    else if (ch === '\n') {
      endCell();
      rows.push(row);
      row = [];
    } else if (ch !== '\r') cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    endCell();
    rows.push(row);
  }
  return rows;
}

// Hostile cells in a non-mapped column, a Turkish name, a comma and a quote.
const CSV = [
  'ad,telefon,tutar,son_odeme_tarihi,not',
  'Ayşe Yılmaz,0532 123 45 67,1250 TL,2026-12-01,=HYPERLINK("http://evil")',
  'Mehmet Demir,+90 (533) 765-4321,980 TL,2026-12-05,+SUM(A1:A2)',
  '"Kaya, Zeynep",5341112233,450 TL,2026-12-10,@cmd',
  'Ali Veli,5351112233,10 TL,2026-12-11,-2+3',
  'Bozuk,12,10 TL,2026-12-11,normal',
].join('\n');

describe('campaign results export and draft re-mapping', () => {
  let stack: TestStack;
  let apiKey: string;
  let otherKey: string;

  beforeAll(async () => {
    stack = await startTestStack({ simulator: { scenario: 'human_yes' } });
    ({ apiKey } = await createTenant(stack));
    ({ apiKey: otherKey } = await createTenant(stack, 'Other'));
  });
  afterAll(async () => stack?.close());

  it('exports one row per contact as CSV (BOM, original columns, formula-safe) and XLSX', async () => {
    const { id } = await createCampaign(stack, apiKey, CSV, campaignConfig({ name: 'Aralık ödeme' }));
    await campaignAction(stack, apiKey, id, 'start');
    await waitForCampaign(stack, apiKey, id, 'completed');
    const api = request(stack.apiUrl);

    const csv = await downloadResults(stack, apiKey, id, 'csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(
      /^attachment; filename="campaign-.*-results\.csv"; filename\*=UTF-8''/,
    );
    expect(csv.headers['content-disposition']).toContain(encodeURIComponent('Aralık ödeme-results.csv'));
    const bytes = csv.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.subarray(3).toString('utf8'));
    const [header, ...data] = rows;
    expect(header!.slice(0, 5)).toEqual(['ad', 'telefon', 'tutar', 'son_odeme_tarihi', 'not']);
    expect(header).toContain('E.164');
    expect(data).toHaveLength(4); // the invalid row never became a contact
    const col = (name: string) => header!.indexOf(name);
    const byPhone = new Map(data.map((r) => [r[col('E.164')], r]));
    const ayse = byPhone.get("'+905321234567")!;
    expect(ayse[col('ad')]).toBe('Ayşe Yılmaz');
    expect(ayse[col('not')]).toBe(`'=HYPERLINK("http://evil")`);
    expect(byPhone.get("'+905337654321")![col('not')]).toBe("'+SUM(A1:A2)");
    expect(byPhone.get("'+905341112233")![col('ad')]).toBe('Kaya, Zeynep');
    expect(byPhone.get("'+905341112233")![col('not')]).toBe("'@cmd");
    expect(byPhone.get("'+905351112233")![col('not')]).toBe("'-2+3");
    for (const row of data) {
      expect(row[col('Attempts')]).toBe('1');
      expect(row[col('Status')]).toBe('completed');
      expect(row[col('Outcome')]).toBe('success');
      expect(Number(row[col('Duration (s)')])).toBeGreaterThan(0);
      expect(row[col('Call ID')]).toMatch(/^[0-9a-f-]{36}$/);
      // No cell a spreadsheet would evaluate.
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }

    const xlsx = await downloadResults(stack, apiKey, id, 'xlsx');
    expect(xlsx.headers['content-disposition']).toContain('.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as ExcelJS.Buffer);
    const sheet = workbook.getWorksheet('Results')!;
    expect(sheet.rowCount).toBe(5);
    const xHeader = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(xHeader.slice(0, 5)).toEqual(['ad', 'telefon', 'tutar', 'son_odeme_tarihi', 'not']);
    const notCells = [2, 3, 4, 5].map((r) => sheet.getRow(r).getCell(5));
    // Strings stay strings: no cell is a formula.
    for (const cell of notCells) expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(notCells.map((c) => c.value)).toContain('=HYPERLINK("http://evil")');
    expect(sheet.getRow(2).getCell(xHeader.indexOf('Attempts') + 1).value).toBe(1);

    await api
      .get(`/v1/campaigns/${id}/results?format=csv`)
      .set('authorization', `Bearer ${otherKey}`)
      .expect(404);
    await api
      .get(`/v1/campaigns/${id}/results?format=pdf`)
      .set('authorization', `Bearer ${apiKey}`)
      .expect(400);
  });

  it('re-maps a draft from the stored upload without a new file, and only a draft', async () => {
    // The phone column is mapped to the wrong header: every row is invalid.
    const config = campaignConfig({
      columnMapping: {
        phone: 'tutar',
        name: 'ad',
        variables: { amount: 'tutar', due_date: 'son_odeme_tarihi' },
      },
    });
    const { id, body } = await createCampaign(stack, apiKey, CSV, config);
    expect(body.report).toMatchObject({ total: 5, valid: 0 });
    expect(body.report.errors.length).toBeGreaterThan(0);
    const api = request(stack.apiUrl);

    await api
      .put(`/v1/campaigns/${id}/mapping`)
      .set('authorization', `Bearer ${otherKey}`)
      .send({ columnMapping: { phone: 'telefon' } })
      .expect(404);
    await api
      .put(`/v1/campaigns/${id}/mapping`)
      .set('authorization', `Bearer ${apiKey}`)
      .send({})
      .expect(400);

    const remapped = await api
      .put(`/v1/campaigns/${id}/mapping`)
      .set('authorization', `Bearer ${apiKey}`)
      .send({
        columnMapping: {
          phone: 'telefon',
          name: 'ad',
          variables: { amount: 'tutar', due_date: 'son_odeme_tarihi' },
        },
      })
      .expect(200);
    expect(remapped.body.status).toBe('draft');
    expect(remapped.body.mapping).toMatchObject({ phone: 'telefon', name: 'ad' });
    expect(remapped.body.config.columnMapping.phone).toBe('telefon');
    expect(remapped.body.report).toMatchObject({ total: 5, valid: 4, invalid: 1 });
    expect(remapped.body.report.errors).toEqual([
      expect.objectContaining({ row: 6, code: 'INVALID_PHONE', column: 'telefon' }),
    ]);
    expect(remapped.body.report.sample[0]).toMatchObject({ phone: '+905321234567', name: 'Ayşe Yılmaz' });
    const contactsOfDraft = () =>
      stack.db
        .selectFrom('contacts')
        .select(['phone_e164', 'seq', 'source_cells'])
        .where('campaign_id', '=', id)
        .orderBy('seq')
        .execute();
    const contacts = await contactsOfDraft();
    expect(contacts.map((c) => c.seq)).toEqual([0, 1, 2, 3]);
    expect(contacts[0]!.source_cells).toEqual([
      'Ayşe Yılmaz',
      '0532 123 45 67',
      '1250 TL',
      '2026-12-01',
      '=HYPERLINK("http://evil")',
    ]);
    expect(stack.sim.dials().filter((d) => d.toNumber === '+905321234567')).toHaveLength(1); // only the first test's call

    // The stored upload keeps only the row that is no contact; the next re-map reads the others back
    // from the contacts and comes to the same result.
    const stored = await stack.db
      .selectFrom('campaign_sources')
      .select('sheet')
      .where('campaign_id', '=', id)
      .executeTakeFirstOrThrow();
    expect((stored.sheet as { rowNumbers: number[] }).rowNumbers).toEqual([6]);
    const again = await api
      .put(`/v1/campaigns/${id}/mapping`)
      .set('authorization', `Bearer ${apiKey}`)
      .send({ columnMapping: remapped.body.config.columnMapping })
      .expect(200);
    expect(again.body.report).toEqual(remapped.body.report);
    expect(await contactsOfDraft()).toEqual(contacts);

    await campaignAction(stack, apiKey, id, 'start');
    const conflict = await api
      .put(`/v1/campaigns/${id}/mapping`)
      .set('authorization', `Bearer ${apiKey}`)
      .send({ columnMapping: { phone: 'telefon' } })
      .expect(409);
    expect(conflict.body.code).toBe('CAMPAIGN_NOT_DRAFT');
    await waitForCampaign(stack, apiKey, id, 'completed');
    expect((await getCampaign(stack, apiKey, id)).counts.byStatus).toEqual({ completed: 4 });
  });
});

describe("a contact's result while its retry waits, runs and ends", () => {
  let stack: TestStack;
  let apiKey: string;
  /** Dials so far per number: the retried number is busy once, then answers. */
  const dialled = new Map<string, number>();
  const RETRIED = '+905351000000';
  const ANSWERS = '+905351000001';

  beforeAll(async () => {
    stack = await startTestStack({
      simulator: {
        scenario: (toNumber) => {
          const n = (dialled.get(toNumber) ?? 0) + 1;
          dialled.set(toNumber, n);
          return toNumber === RETRIED && n === 1 ? 'busy' : 'human_yes';
        },
        // Answered calls talk for seconds, so an attempt under way can be seen.
        timing: { talkMs: 5000 },
      },
    });
    ({ apiKey } = await createTenant(stack));
  });
  afterAll(async () => stack?.close());

  interface CallItem {
    callId: string;
    toNumber: string;
    attempt: number;
    status: string;
    outcome: string | null;
    label: string | null;
  }

  /**
   * The export, the counters and the calls list, read while nothing changed: the export read before
   * and after the other two is the same.
   */
  async function snapshot(id: string) {
    const api = request(stack.apiUrl);
    const exportRows = async () => {
      const res = await downloadResults(stack, apiKey, id, 'csv');
      const [header, ...data] = parseCsv((res.body as Buffer).subarray(3).toString('utf8'));
      const cell = (row: string[], name: string) => row[header!.indexOf(name)]!;
      return data.map((row) => ({
        phone: cell(row, 'E.164').replace(/^'/, ''),
        attempts: Number(cell(row, 'Attempts')),
        status: cell(row, 'Status'),
        outcome: cell(row, 'Outcome'),
        label: cell(row, 'Label'),
        sipCode: cell(row, 'SIP code'),
        callId: cell(row, 'Call ID'),
      }));
    };
    const before = await exportRows();
    const { counts } = await getCampaign(stack, apiKey, id);
    const calls = await api
      .get(`/v1/campaigns/${id}/calls`)
      .set('authorization', `Bearer ${apiKey}`)
      .expect(200);
    const after = await exportRows();
    if (JSON.stringify(before) !== JSON.stringify(after)) return undefined;
    return { rows: after, counts, calls: calls.body.items as CallItem[] };
  }

  /** The three agree: the counters count the export's rows, and each row is its latest call's. */
  function expectAgreement({ rows, counts, calls }: NonNullable<Awaited<ReturnType<typeof snapshot>>>) {
    const tally = (pick: (row: (typeof rows)[number]) => string) => {
      const out: Record<string, number> = {};
      for (const row of rows) if (pick(row)) out[pick(row)] = (out[pick(row)] ?? 0) + 1;
      return out;
    };
    expect(counts).toEqual({
      byStatus: tally((r) => r.status),
      byOutcome: tally((r) => r.outcome),
      byLabel: tally((r) => r.label),
    });
    for (const row of rows) {
      const attempts = calls.filter((c) => c.toNumber === row.phone).sort((a, b) => a.attempt - b.attempt);
      const latest = attempts.at(-1)!;
      expect(row).toMatchObject({ attempts: attempts.length, callId: latest.callId });
      if (row.status !== 'retry_pending') expect(row.status).toBe(latest.status);
      if (row.outcome) expect([row.outcome, row.label]).toEqual([latest.outcome, latest.label ?? '']);
    }
  }

  const LIVE = ['queued', 'ringing', 'connected', 'talking'];

  it('has no outcome until its last attempt ends, in the export, the counters and the API alike', async () => {
    const { id } = await createCampaign(
      stack,
      apiKey,
      contactsCsv([RETRIED, ANSWERS]),
      campaignConfig({
        retry: { maxAttempts: 2, busyDelayMinutes: 0.1, noAnswerDelayMinutes: 1, retryVoicemail: false },
      }),
    );
    await campaignAction(stack, apiKey, id, 'start');
    const rowOf = (s: NonNullable<Awaited<ReturnType<typeof snapshot>>>) =>
      s.rows.find((r) => r.phone === RETRIED)!;

    // The first attempt was busy and the retry waits: no outcome yet, the busy attempt's details.
    const waiting = await eventually(async () => {
      const s = await snapshot(id);
      return s && rowOf(s).status === 'retry_pending' ? s : undefined;
    }, 30_000);
    expectAgreement(waiting);
    expect(rowOf(waiting)).toMatchObject({ attempts: 1, outcome: '', label: '', sipCode: '486' });
    expect(waiting.calls.find((c) => c.toNumber === RETRIED)).toMatchObject({
      status: 'busy',
      outcome: 'busy',
    });
    expect(waiting.counts.byStatus.retry_pending).toBe(1);
    expect(waiting.counts.byOutcome.busy).toBeUndefined();

    // The retry is under way: the contact shows that call's live status, still without an outcome.
    const running = await eventually(async () => {
      const s = await snapshot(id);
      return s && rowOf(s).attempts === 2 && LIVE.includes(rowOf(s).status) ? s : undefined;
    }, 30_000);
    expectAgreement(running);
    expect(rowOf(running)).toMatchObject({ outcome: '', label: '' });
    expect(running.counts.byOutcome.busy).toBeUndefined();

    await waitForCampaign(stack, apiKey, id, 'completed');
    const done = (await snapshot(id))!;
    expectAgreement(done);
    expect(rowOf(done)).toMatchObject({ attempts: 2, status: 'completed', outcome: 'success', label: 'YES' });
    expect(done.counts).toEqual({
      byStatus: { completed: 2 },
      byOutcome: { success: 2 },
      byLabel: { YES: 2 },
    });
  });
});
