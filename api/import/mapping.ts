import { normalizePhone } from '../../domain/phone';
import { ImportError } from './errors';
import { headerKey, variableNameFor } from './normalize';
import type { ColumnMappingInput, MappingWarning, ParsedSheet, ResolvedMapping } from './types';
import { kindShares } from './value-kinds';

/** What the mapping rules read: names and cells, nothing about the file they came from. */
type SheetColumns = Pick<ParsedSheet, 'headers' | 'rows'>;

/** Column indices the row loop uses; -1 for "no name column". */
export interface MappingPlan {
  phone: number;
  name: number;
  variables: { name: string; column: number }[];
}

const words = (list: string): string[] => list.split('|');
// Ranked: a mobile column beats a generic phone column beats a landline.
const PHONE_HEADERS = [
  words('cep|cep telefonu|cep tel|cep no|gsm|gsm no|mobil|mobil telefon|mobile|mobile phone|cell|cell phone'),
  words('telefon|telefon no|telefon numarasi|tel|tel no|phone|phone number|numara|msisdn|contact number'),
  words('ev telefonu|is telefonu|sabit telefon|home phone|work phone|landline'),
];
const PHONE_WORDS = /\b(telefon\w*|tel|phone|gsm|cep|mobile?)\b/;
const NAME_HEADERS = [
  words(
    'ad soyad|adi soyadi|ad soyadi|adsoyad|isim soyisim|full name|customer name|musteri adi|musteri adi soyadi',
  ),
  words('ad|adi|isim|name|musteri|customer|alici|alici adi|hasta adi|kisi|contact|contact name'),
];
const NAME_WORDS = /\b(ad|adi|isim|name|musteri|customer|alici)\b/;
// "Müşteri No", "Customer ID": about the customer, but not a name.
const NOT_A_NAME = /\b(no|id|kod|kodu|numara|numarasi|number|tarih|tarihi|date)\b/;

export function resolveMapping(
  sheet: SheetColumns,
  options: { mapping?: ColumnMappingInput; defaultCountry: string; requiredVariables: readonly string[] },
): { mapping: ResolvedMapping; plan: MappingPlan } {
  const warnings: MappingWarning[] = [];
  const given = options.mapping;
  let phone: number;
  let name: number;
  const explicit = new Map<string, number>();

  if (given) {
    const missing: string[] = [];
    const find = (header: string): number => {
      const index = findColumn(sheet.headers, header);
      if (index < 0) missing.push(header);
      return index;
    };
    phone = find(given.phone);
    name = given.name ? find(given.name) : -1;
    for (const [variable, header] of Object.entries(given.variables ?? {}))
      explicit.set(variable, find(header));
    if (missing.length > 0) {
      throw new ImportError(
        'MAPPING_COLUMN_NOT_FOUND',
        `The column mapping names columns the file does not have: ${missing.map((m) => `"${m}"`).join(', ')}`,
        { missing, headers: sheet.headers },
      );
    }
    if (name >= 0 && !acceptableName(sheet, name, warnings)) name = -1;
  } else {
    phone = proposePhone(sheet, options.defaultCountry, warnings);
    name = proposeName(sheet, phone, warnings);
  }

  const variables = [...explicit].map(([variableName, column]) => ({ name: variableName, column }));
  const taken = new Set([phone, name, ...explicit.values()]);
  const used = new Set(explicit.keys());
  // The name column fills {{name}} (see applyMapping): no other column may take that variable.
  if (name >= 0) used.add('name');
  sheet.headers.forEach((header, column) => {
    if (taken.has(column)) return;
    let variableName = variableNameFor(header);
    for (let n = 2; used.has(variableName); n++) variableName = `${variableNameFor(header)}_${n}`;
    used.add(variableName);
    variables.push({ name: variableName, column });
  });

  for (const required of options.requiredVariables) {
    if (!used.has(required)) {
      warnings.push({
        code: 'REQUIRED_VARIABLE_NOT_MAPPED',
        column: required,
        message: `No column provides the required variable "${required}"; map it in columnMapping.variables`,
      });
    }
  }

  const headerOf = (column: number): string => sheet.headers[column] ?? '';
  return {
    plan: { phone, name, variables },
    mapping: {
      phone: headerOf(phone),
      name: name >= 0 ? headerOf(name) : null,
      variables: Object.fromEntries(variables.map((v) => [v.name, headerOf(v.column)])),
      proposed: !given,
      warnings,
    },
  };
}

/** Exact header first, then the folded key ("telefon" finds "Telefon"), if that is unambiguous. */
export function findColumn(headers: readonly string[], wanted: string): number {
  const exact = headers.indexOf(wanted);
  if (exact >= 0) return exact;
  const key = headerKey(wanted);
  const matches = headers.flatMap((h, i) => (headerKey(h) === key ? [i] : []));
  return matches.length === 1 ? (matches[0] ?? -1) : -1;
}

function rankHeaders(
  headers: readonly string[],
  ranked: string[][],
  fuzzy: RegExp,
  exclude?: RegExp,
): number[] {
  const candidates: { column: number; rank: number }[] = [];
  headers.forEach((header, column) => {
    const key = headerKey(header);
    const rank = ranked.findIndex((list) => list.includes(key));
    if (rank >= 0) candidates.push({ column, rank });
    else if (fuzzy.test(key) && !exclude?.test(key)) candidates.push({ column, rank: ranked.length });
  });
  return candidates.sort((a, b) => a.rank - b.rank || a.column - b.column).map((c) => c.column);
}

function proposePhone(sheet: SheetColumns, country: string, warnings: MappingWarning[]): number {
  const candidates = rankHeaders(sheet.headers, PHONE_HEADERS, PHONE_WORDS);
  // A phone-named column full of something else (say, extension numbers) loses to one that parses.
  const chosen = candidates.find((c) => validPhoneShare(sheet, c, country) >= 0.5) ?? candidates[0];
  if (chosen !== undefined) {
    if (candidates.length > 1) {
      const others = candidates.filter((c) => c !== chosen).map((c) => `"${sheet.headers[c]}"`);
      warnings.push({
        code: 'MULTIPLE_PHONE_COLUMNS',
        column: sheet.headers[chosen] ?? '',
        message: `Calling "${sheet.headers[chosen]}"; ${others.join(', ')} kept as variables`,
      });
    }
    return chosen;
  }
  let best = -1;
  let bestShare = 0;
  sheet.headers.forEach((_, column) => {
    const share = validPhoneShare(sheet, column, country);
    if (share > bestShare) [best, bestShare] = [column, share];
  });
  if (best < 0 || bestShare < 0.8) {
    throw new ImportError(
      'PHONE_COLUMN_NOT_FOUND',
      'No phone column found: name it "Telefon" / "Phone" or set columnMapping.phone',
      { headers: sheet.headers },
    );
  }
  warnings.push({
    code: 'PHONE_COLUMN_GUESSED_FROM_VALUES',
    column: sheet.headers[best] ?? '',
    message: `No column is named like a phone; "${sheet.headers[best]}" holds phone numbers, so it is called`,
  });
  return best;
}

function validPhoneShare(sheet: SheetColumns, column: number, country: string, sample = 200): number {
  let nonEmpty = 0;
  let valid = 0;
  for (let i = 0; i < sheet.rows.length && nonEmpty < sample; i++) {
    const value = sheet.rows[i]?.[column] ?? '';
    if (value === '') continue;
    nonEmpty++;
    if (normalizePhone(value, country).ok) valid++;
  }
  return nonEmpty === 0 ? 0 : valid / nonEmpty;
}

function proposeName(sheet: SheetColumns, phone: number, warnings: MappingWarning[]): number {
  const candidates = rankHeaders(sheet.headers, NAME_HEADERS, NAME_WORDS, NOT_A_NAME).filter(
    (c) => c !== phone,
  );
  const chosen = candidates.find((column) => acceptableName(sheet, column, warnings));
  if (chosen !== undefined) return chosen;
  if (candidates.length === 0) {
    warnings.push({
      code: 'NAME_COLUMN_NOT_FOUND',
      column: '',
      message: 'No name column found; calls go out without a name unless columnMapping.name is set',
    });
  }
  return -1;
}

/**
 * A name column full of dates or numbers is a shifted or mislabelled column: calling someone
 * "15/01/2024" is worse than calling them without a name. Refused even when the config names it.
 */
function acceptableName(sheet: SheetColumns, column: number, warnings: MappingWarning[]): boolean {
  const shares = kindShares(sheet.rows, column);
  const header = sheet.headers[column] ?? '';
  if (shares.date >= 0.5) {
    warnings.push({
      code: 'NAME_COLUMN_HOLDS_DATES',
      column: header,
      message: `"${header}" is not used as the name: ${Math.round(shares.date * 100)}% of its values are dates`,
    });
    return false;
  }
  if (shares.date + shares.number >= 0.5) {
    warnings.push({
      code: 'NAME_COLUMN_HOLDS_NUMBERS',
      column: header,
      message: `"${header}" is not used as the name: ${Math.round((shares.date + shares.number) * 100)}% of its values are numbers`,
    });
    return false;
  }
  return true;
}
