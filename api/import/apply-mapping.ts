import { normalizePhone, toCountryCode, type PhoneParseFailure } from '../../domain/phone';
import { resolveLimits, type ImportLimits } from './limits';
import { resolveMapping } from './mapping';
import type { PrefetchedPhones } from './phone-prefetch';
import type { ColumnMappingInput, Contact, DncLookup, ImportResult, ParsedSheet, RowError } from './types';

export interface ApplyMappingOptions {
  defaultCountry: string;
  requiredVariables: readonly string[];
  isOnDnc: DncLookup;
  limits?: Partial<ImportLimits>;
  /** Numbers per isOnDnc call. */
  dncBatchSize?: number;
  /** Phone numbers already normalised while the file was read (see PhonePrefetch). */
  phones?: PrefetchedPhones;
}

const SAMPLE_SIZE = 10;
const PHONE_FAILURE_MESSAGES: Record<PhoneParseFailure, string> = {
  EMPTY: 'The phone number is empty',
  NOT_A_NUMBER: 'The phone cell holds no digits',
  INVALID: 'Not a valid phone number',
};

/**
 * Turns parsed rows into contacts under a mapping (given, or proposed when `mapping` is undefined):
 * validate, normalise to E.164, drop repeats of a number (the first row wins), then scrub the
 * survivors against the DNC list in batches. Works on a stored ParsedSheet, so a draft can be
 * re-mapped without the upload.
 */
export async function applyMapping(
  sheet: ParsedSheet,
  mapping: ColumnMappingInput | undefined,
  options: ApplyMappingOptions,
): Promise<ImportResult> {
  const limits = resolveLimits(options.limits);
  const country = toCountryCode(options.defaultCountry);
  const resolved = resolveMapping(sheet, {
    mapping,
    defaultCountry: country,
    requiredVariables: options.requiredVariables,
  });
  const { plan } = resolved;
  const phoneHeader = resolved.mapping.phone;

  const errors: RowError[] = [];
  const firstRowOf = new Map<string, number>();
  const unique: Contact[] = [];
  let invalid = 0;
  let duplicates = 0;

  for (let i = 0; i < sheet.rows.length; i++) {
    const cells = sheet.rows[i] ?? [];
    const row = sheet.rowNumbers[i] ?? 0;
    const rawPhone = cells[plan.phone] ?? '';
    let phone = '';
    let ok = true;
    if (rawPhone === '') {
      ok = false;
      errors.push({
        row,
        column: phoneHeader,
        code: 'MISSING_PHONE',
        message: 'The phone cell is empty',
        value: '',
      });
    } else {
      const parsed = options.phones
        ? options.phones.normalize(rawPhone, country)
        : normalizePhone(rawPhone, country);
      if (parsed.ok) phone = parsed.e164;
      else {
        ok = false;
        const message = `${PHONE_FAILURE_MESSAGES[parsed.reason]} (default country ${country})`;
        errors.push({ row, column: phoneHeader, code: 'INVALID_PHONE', message, value: rawPhone });
      }
    }

    const variables: Record<string, string> = {};
    for (const variable of plan.variables) variables[variable.name] = cells[variable.column] ?? '';
    // Scripts say {{name}}: the name column fills it unless a variable maps it explicitly.
    if (plan.name >= 0 && variables.name === undefined) variables.name = cells[plan.name] ?? '';
    for (const required of options.requiredVariables) {
      if (!variables[required]) {
        ok = false;
        const message = `The required variable "${required}" is empty`;
        errors.push({ row, column: required, code: 'MISSING_VARIABLE', message, value: '' });
      }
    }
    if (!ok) {
      invalid++;
      continue;
    }

    const first = firstRowOf.get(phone);
    if (first !== undefined) {
      duplicates++;
      const message = `The same number as row ${first}`;
      errors.push({ row, column: phoneHeader, code: 'DUPLICATE_PHONE', message, value: rawPhone });
      continue;
    }
    firstRowOf.set(phone, row);
    const name = plan.name >= 0 ? cells[plan.name] || null : null;
    unique.push({ row, phone, rawPhone, name, variables });
  }

  const listed = await lookupDnc(
    unique.map((c) => c.phone),
    options.isOnDnc,
    options.dncBatchSize ?? 1000,
    options.phones,
  );
  const contacts: Contact[] = [];
  let dnc = 0;
  for (const contact of unique) {
    if (listed.has(contact.phone)) {
      dnc++;
      const { row, rawPhone: value } = contact;
      errors.push({
        row,
        column: phoneHeader,
        code: 'ON_DNC_LIST',
        message: 'The number is on the Do-Not-Call list',
        value,
      });
    } else contacts.push(contact);
  }

  // Row errors come first, DNC errors after them; the report lists them in sheet order.
  errors.sort((a, b) => a.row - b.row);
  const listedErrors = errors.slice(0, limits.maxReportedErrors);
  return {
    mapping: resolved.mapping,
    headers: sheet.headers,
    report: {
      total: sheet.rows.length,
      valid: contacts.length,
      invalid,
      duplicates,
      dnc,
      errors: listedErrors,
      errorsOmitted: errors.length - listedErrors.length,
    },
    contacts,
    sample: contacts.slice(0, SAMPLE_SIZE),
  };
}

async function lookupDnc(
  phones: string[],
  isOnDnc: DncLookup,
  batchSize: number,
  prefetched: PrefetchedPhones | undefined,
): Promise<Set<string>> {
  const listed = new Set<string>();
  const unknown: string[] = [];
  for (const phone of phones) {
    const onDnc = prefetched?.onDnc(phone);
    if (onDnc === undefined) unknown.push(phone);
    else if (onDnc) listed.add(phone);
  }
  // Sequential on purpose: the lookup hits the database, and one upload must not hog its pool.
  for (let start = 0; start < unknown.length; start += batchSize) {
    const batch = unknown.slice(start, start + batchSize);
    for (const phone of await isOnDnc(batch)) listed.add(phone);
  }
  return listed;
}
