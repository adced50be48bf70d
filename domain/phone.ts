import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type PhoneParseFailure = 'EMPTY' | 'NOT_A_NUMBER' | 'INVALID';
export type PhoneParseResult = { ok: true; e164: string } | { ok: false; reason: PhoneParseFailure };

/**
 * Normalises a phone number as people type it into spreadsheets ("0532 123 45 67",
 * "+90 (532) 123-4567", "5321234567", "90 532 123 45 67", "0090 532 ...") to E.164. Uses the full
 * metadata so that validity means "this number can exist", not merely "has a plausible length".
 */
export function normalizePhone(raw: string, defaultCountry: string): PhoneParseResult {
  const country = toCountryCode(defaultCountry);
  const text = cleanPhoneText(raw);
  if (text === '') return { ok: false, reason: 'EMPTY' };
  if (!/\d/.test(text)) return { ok: false, reason: 'NOT_A_NUMBER' };
  const parsed = parsePhoneNumberFromString(text, country);
  if (!parsed?.isValid()) return { ok: false, reason: 'INVALID' };
  return { ok: true, e164: parsed.number };
}

/** True for an ISO 3166 alpha-2 code whose numbering plan is known (so `ZZ` is not). */
export const isKnownCountry = (country: string): boolean => isSupportedCountry(country);

export function toCountryCode(country: string): CountryCode {
  const code = country.trim().toUpperCase();
  if (!isSupportedCountry(code)) throw new RangeError(`Unknown default country "${country}"`);
  return code;
}

function cleanPhoneText(raw: string): string {
  return (
    raw
      .trim()
      .replace(/^tel:/i, '')
      // A leading apostrophe is how Excel users force text; CSV exports keep it.
      .replace(/^'/, '')
      // "5321234567.0": a number column that went through pandas or a float conversion.
      .replace(/^(\+?\d+)\.0+$/, '$1')
  );
}

/**
 * Masks a number for logs and summaries: country code, first group and last two digits stay
 * ("+90 532 *** ** 67"), enough for an operator to tell calls apart, too little to dial.
 */
export function maskPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return maskTail(e164);
  const groups = parsed.formatInternational().split(' ');
  if (groups.length < 3) return maskTail(e164);
  const last = groups.length - 1;
  return groups
    .map((group, i) => {
      if (i < 2) return group;
      if (i < last) return group.replace(/\d/g, '*');
      return group.replace(/\d(?=\d{2})/g, '*');
    })
    .join(' ');
}

function maskTail(text: string): string {
  const digits = text.replace(/\D/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return `${text.startsWith('+') ? '+' : ''}${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`;
}

/** Number types a person can be transferred to: no premium-rate, shared-cost or personal numbers. */
const TRANSFER_TYPES = new Set(['MOBILE', 'FIXED_LINE', 'FIXED_LINE_OR_MOBILE', 'TOLL_FREE', 'UAN']);

/**
 * The workflow's own check of the number it transfers to: E.164 as stored, valid, of a type a person
 * answers. The campaign's country rules were applied by `transferTarget` when it was configured.
 */
export function isTransferNumber(e164: string): boolean {
  if (!/^\+[1-9]\d{6,14}$/.test(e164)) return false;
  const parsed = parsePhoneNumberFromString(e164);
  return parsed?.isValid() === true && parsed.number === e164 && TRANSFER_TYPES.has(parsed.getType() ?? '');
}

export type TransferRefusal = 'NOT_E164' | 'INVALID' | 'COUNTRY_NOT_ALLOWED' | 'TYPE_NOT_ALLOWED';

/**
 * Why the workflow refuses to transfer to `e164`, or null when it may: the number must be E.164 as
 * stored, valid, of a country the campaign allows and of a type a person answers. No list of
 * countries allows none: a call started without one never transfers.
 */
export function transferRefusal(e164: string, allowedCountries: readonly string[]): TransferRefusal | null {
  if (!/^\+[1-9]\d{6,14}$/.test(e164)) return 'NOT_E164';
  const parsed = parsePhoneNumberFromString(e164);
  if (parsed?.isValid() !== true || parsed.number !== e164) return 'INVALID';
  if (!parsed.country || !allowedCountries.includes(parsed.country)) return 'COUNTRY_NOT_ALLOWED';
  if (!TRANSFER_TYPES.has(parsed.getType() ?? '')) return 'TYPE_NOT_ALLOWED';
  return null;
}

export type TransferTargetResult =
  | { ok: true; e164: string }
  | { ok: false; reason: PhoneParseFailure | 'COUNTRY_NOT_ALLOWED' | 'TYPE_NOT_ALLOWED' };

/**
 * A campaign's transfer number as the dial will use it: a valid E.164 number of the campaign's
 * country or one it allows, of a type a person answers. The result goes into a SIP URI and a
 * dialplan Dial(), so nothing but `+` and digits can come out.
 */
export function transferTarget(
  raw: string,
  defaultCountry: string,
  allowedCountries: readonly string[] = [],
): TransferTargetResult {
  const normalized = normalizePhone(raw, defaultCountry);
  if (!normalized.ok) return normalized;
  const parsed = parsePhoneNumberFromString(normalized.e164);
  const country = parsed?.country;
  if (!country || (country !== toCountryCode(defaultCountry) && !allowedCountries.includes(country))) {
    return { ok: false, reason: 'COUNTRY_NOT_ALLOWED' };
  }
  if (!TRANSFER_TYPES.has(parsed.getType() ?? '')) return { ok: false, reason: 'TYPE_NOT_ALLOWED' };
  return { ok: true, e164: normalized.e164 };
}
