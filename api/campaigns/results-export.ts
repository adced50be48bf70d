import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { resultsPage, type ResultRow } from '../../schema/repositories/contact-results';
import type { Kysely } from 'kysely';
import { withTenant } from '../../schema/tenant-scope';
import type { DB } from '../../schema/types';

export type ResultsFormat = 'csv' | 'xlsx';

const PAGE = 1000;

/** Columns Outdial adds after the customer's own. */
const RESULT_COLUMNS = [
  'E.164',
  'Attempts',
  'Status',
  'Outcome',
  'Label',
  'SIP code',
  'Hangup cause',
  'AMD status',
  'AMD cause',
  'Started at',
  'Answered at',
  'Ended at',
  'Duration (s)',
  'Cost',
  'Transferred to',
  'Transfer',
  'Human leg (s)',
  'Call ID',
] as const;

type Cell = string | number | null;

/**
 * OWASP CSV injection: a cell a spreadsheet could read as a formula (leading = + - @, tab or
 * carriage return) is prefixed with a single quote so it stays text.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * One CSV record, written by csv-stringify with every field quoted: a Turkish Excel splits on `;`,
 * so an unquoted `Ali;=1+1` would become two cells, the second a formula. Each cell is neutralised
 * as well, for a spreadsheet that splits on commas.
 */
export function csvLine(cells: readonly Cell[]): string {
  const neutral = cells.map((cell) => (cell === null ? '' : neutraliseFormula(String(cell))));
  return stringify([neutral], { quoted: true, quoted_empty: true, record_delimiter: 'windows' });
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

function resultCells(row: ResultRow): Cell[] {
  return [
    row.phone_e164,
    row.attempts,
    row.status,
    row.outcome,
    row.label,
    row.sip_code,
    row.hangup_cause,
    row.amd_status,
    row.amd_cause,
    iso(row.started_at),
    iso(row.answered_at),
    iso(row.ended_at),
    row.duration_s,
    row.cost === null ? null : Number(row.cost),
    row.transfer_to,
    row.transfer_stage,
    row.transfer_seconds,
    row.call_id,
  ];
}

/**
 * The customer's columns as uploaded. Contacts imported before sources were stored fall back to
 * what the contact row kept.
 */
function originalCells(row: ResultRow, headers: readonly string[] | null): Cell[] {
  if (headers) return headers.map((_, i) => row.source_cells?.[i] ?? '');
  return [row.raw_phone, row.name];
}

/** A transaction per page: a slow download must not hold one open for its whole length. */
async function* allRows(db: Kysely<DB>, tenantId: string, campaignId: string): AsyncGenerator<ResultRow> {
  let afterSeq = -1;
  for (;;) {
    const page = await withTenant(db, tenantId, (trx) => resultsPage(trx, campaignId, afterSeq, PAGE));
    yield* page;
    const last = page[page.length - 1];
    if (page.length < PAGE || !last) return;
    afterSeq = last.seq;
  }
}

/** Streams one row per contact to `out`; the caller sets the HTTP headers. */
export async function writeResults(
  db: Kysely<DB>,
  tenantId: string,
  campaignId: string,
  sourceHeaders: string[] | null,
  format: ResultsFormat,
  out: Writable,
): Promise<void> {
  const header = [...(sourceHeaders ?? ['Phone (as uploaded)', 'Name']), ...RESULT_COLUMNS];
  if (format === 'csv') {
    // The BOM makes Excel read the file as UTF-8 (Turkish names survive).
    await write(out, `\uFEFF${csvLine(header)}`);
    for await (const row of allRows(db, tenantId, campaignId)) {
      if (out.destroyed) return;
      await write(out, csvLine([...originalCells(row, sourceHeaders), ...resultCells(row)]));
    }
    out.end();
    return;
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('Results');
  sheet.addRow(header).commit();
  for await (const row of allRows(db, tenantId, campaignId)) {
    if (out.destroyed) return;
    // Cells are written as typed strings and numbers, never formulas.
    sheet.addRow([...originalCells(row, sourceHeaders), ...resultCells(row)]).commit();
  }
  sheet.commit();
  await workbook.commit();
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}
