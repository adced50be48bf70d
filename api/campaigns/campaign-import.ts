import type { Kysely } from 'kysely';
import {
  insertCampaignUpload,
  insertDraftCampaign,
  type NewContactRow,
} from '../../schema/repositories/campaigns.repository';
import { doNotCallSubset } from '../../schema/repositories/dnc.repository';
import { withTenant } from '../../schema/tenant-scope';
import { requiredVariables } from '../../domain/flows';
import type { DB } from '../../schema/types';
import {
  applyMapping,
  parseContactFile,
  prefetchPhonesFor,
  type DncLookup,
  type ImportResult,
  type ParsedSheet,
  type PrefetchedPhones,
} from '../import';
import { importRows, importSeconds } from '../../infra/metrics/api-metrics';
import type { CampaignConfig } from './campaign-config';

/**
 * The upload path of `POST /v1/campaigns` in two steps, so that the import benchmark runs exactly
 * what the API runs and can time each: read (parse, validate, normalise, dedupe, DNC scrub) and store.
 */
export interface ReadUpload {
  sheet: ParsedSheet;
  imported: ImportResult;
}

/** Parses and maps an upload against the tenant's DNC list. Throws ImportError for an unusable file. */
export async function readUpload(
  db: Kysely<DB>,
  tenantId: string,
  file: { buffer: Buffer; originalname: string },
  config: CampaignConfig,
): Promise<ReadUpload> {
  const timer = importSeconds.startTimer();
  const prefetch = prefetchPhonesFor(file.buffer, {
    defaultCountry: config.defaultCountry,
    requiredVariables: requiredVariables(config.callType),
    ...(config.columnMapping ? { mapping: config.columnMapping } : {}),
    isOnDnc: tenantDnc(db, tenantId),
  });
  const sheet = await parseContactFile({
    file: file.buffer,
    filename: file.originalname,
    ...(config.sheet ? { sheet: config.sheet } : {}),
    ...(config.encoding ? { encoding: config.encoding } : {}),
    ...(prefetch ? { onRow: prefetch.offer } : {}),
  });
  const imported = await mapSheet(db, tenantId, sheet, config, await prefetch?.results());
  timer();
  const { valid, invalid, duplicates, dnc } = imported.report;
  importRows.inc({ result: 'kept' }, valid);
  importRows.inc({ result: 'rejected' }, invalid + duplicates + dnc);
  return { sheet, imported };
}

/** Applies the config's mapping (or a proposed one) to a parsed sheet: on upload and on re-map. */
export function mapSheet(
  db: Kysely<DB>,
  tenantId: string,
  sheet: ParsedSheet,
  config: CampaignConfig,
  prefetched?: PrefetchedPhones,
): Promise<ImportResult> {
  return applyMapping(sheet, config.columnMapping, {
    defaultCountry: config.defaultCountry,
    requiredVariables: requiredVariables(config.callType),
    isOnDnc: tenantDnc(db, tenantId),
    // One array parameter per lookup, so a large batch costs a single round trip.
    dncBatchSize: 10_000,
    ...(prefetched ? { phones: prefetched } : {}),
  });
}

function tenantDnc(db: Kysely<DB>, tenantId: string): DncLookup {
  return (phones) => withTenant(db, tenantId, (trx) => doNotCallSubset(trx, tenantId, phones));
}

/**
 * The upload as stored beside its contacts: a row that became a contact is kept once, as that
 * contact's source cells, so the stored sheet holds only the other rows (invalid, repeated, on the
 * DNC list). Storing every row twice cost a 100k-row upload about a second.
 */
export interface StoredSheet extends ParsedSheet {
  /** Set on sheets stored this way; a sheet stored whole (before this) lacks it. */
  contactRowsInContacts?: true;
}

export function sheetToStore(sheet: ParsedSheet, contacts: readonly NewContactRow[]): StoredSheet {
  const inContacts = new Set(contacts.flatMap((c) => (c.sourceCells ? [c.rowNumber] : [])));
  const rowNumbers: number[] = [];
  const rows: string[][] = [];
  sheet.rowNumbers.forEach((rowNumber, i) => {
    if (inContacts.has(rowNumber)) return;
    rowNumbers.push(rowNumber);
    rows.push(sheet.rows[i]!);
  });
  return { ...sheet, rowNumbers, rows, contactRowsInContacts: true };
}

/** The whole upload again: the stored rows merged with the contacts' rows, in sheet order. */
export function restoreSheet(
  stored: StoredSheet,
  contactRows: readonly { row_number: number; source_cells: string[] | null }[],
): ParsedSheet {
  const { contactRowsInContacts, ...sheet } = stored;
  if (!contactRowsInContacts) return sheet;
  const rowNumbers: number[] = [];
  const rows: string[][] = [];
  let next = 0;
  const takeStoredUpTo = (rowNumber: number) => {
    while (next < sheet.rowNumbers.length && sheet.rowNumbers[next]! < rowNumber) {
      rowNumbers.push(sheet.rowNumbers[next]!);
      rows.push(sheet.rows[next++]!);
    }
  };
  for (const contact of contactRows) {
    if (!contact.source_cells) continue;
    takeStoredUpTo(contact.row_number);
    rowNumbers.push(contact.row_number);
    rows.push(contact.source_cells);
  }
  takeStoredUpTo(Number.POSITIVE_INFINITY);
  return { ...sheet, rowNumbers, rows };
}

/** Stores the draft campaign, its parsed upload and its contacts in one transaction; returns its id. */
export function storeDraft(
  db: Kysely<DB>,
  tenantId: string,
  config: CampaignConfig,
  sourceFileName: string,
  { sheet, imported }: ReadUpload,
  /** The file itself, kept for a wizard draft (another sheet of it may be chosen later). */
  fileToKeep?: Buffer,
): Promise<string> {
  const contacts = contactRows(sheet, imported);
  return withTenant(db, tenantId, async (trx) => {
    const id = await insertDraftCampaign(trx, {
      tenantId,
      name: config.name,
      config,
      mapping: imported.mapping,
      report: { ...imported.report, sample: imported.sample },
      sourceFileName,
      sheet: sheetToStore(sheet, contacts),
      contacts,
    });
    if (fileToKeep)
      await insertCampaignUpload(trx, { campaignId: id, fileName: sourceFileName, bytes: fileToKeep });
    return id;
  });
}

/** Contacts to store, each with its row as uploaded (for the results export). */
export function contactRows(sheet: ParsedSheet, imported: ImportResult): NewContactRow[] {
  // Contacts come in sheet order, so one forward walk finds each row; a map only if that ever breaks.
  let next = 0;
  let indexOfRow: Map<number, number> | undefined;
  const rowIndex = (rowNumber: number): number | undefined => {
    if (!indexOfRow) {
      while (next < sheet.rowNumbers.length && sheet.rowNumbers[next]! < rowNumber) next++;
      if (sheet.rowNumbers[next] === rowNumber) return next;
      indexOfRow = new Map(sheet.rowNumbers.map((n, i) => [n, i]));
    }
    return indexOfRow.get(rowNumber);
  };
  return imported.contacts.map((c) => {
    const index = rowIndex(c.row);
    return {
      rowNumber: c.row,
      phoneE164: c.phone,
      rawPhone: c.rawPhone,
      name: c.name,
      variables: c.variables,
      sourceCells: index === undefined ? null : (sheet.rows[index] ?? null),
    };
  });
}
