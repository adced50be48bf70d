import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Countries whose numbers all ring in one civil time zone. A static table rather than ICU's
 * per-country zone list: a workflow decides on it, and an ICU update must not change that decision
 * on replay. Countries spanning several zones (US, RU, BR, ES with the Canaries, PT with the Azores,
 * AU, MX, CA, ID, KZ...) are left out on purpose: the campaign's zone applies to them.
 */
const SINGLE_ZONE: Readonly<Record<string, string>> = {
  AE: 'Asia/Dubai',
  AT: 'Europe/Vienna',
  AZ: 'Asia/Baku',
  BE: 'Europe/Brussels',
  BG: 'Europe/Sofia',
  CH: 'Europe/Zurich',
  CY: 'Asia/Nicosia',
  CZ: 'Europe/Prague',
  // Büsingen keeps its own zone id but the same clock as the rest of Germany.
  DE: 'Europe/Berlin',
  DK: 'Europe/Copenhagen',
  EE: 'Europe/Tallinn',
  EG: 'Africa/Cairo',
  FI: 'Europe/Helsinki',
  FR: 'Europe/Paris',
  GB: 'Europe/London',
  GE: 'Asia/Tbilisi',
  GR: 'Europe/Athens',
  HR: 'Europe/Zagreb',
  HU: 'Europe/Budapest',
  IE: 'Europe/Dublin',
  IL: 'Asia/Jerusalem',
  IN: 'Asia/Kolkata',
  IQ: 'Asia/Baghdad',
  IT: 'Europe/Rome',
  JP: 'Asia/Tokyo',
  LT: 'Europe/Vilnius',
  LU: 'Europe/Luxembourg',
  LV: 'Europe/Riga',
  MA: 'Africa/Casablanca',
  NL: 'Europe/Amsterdam',
  NO: 'Europe/Oslo',
  PL: 'Europe/Warsaw',
  RO: 'Europe/Bucharest',
  RS: 'Europe/Belgrade',
  SA: 'Asia/Riyadh',
  SE: 'Europe/Stockholm',
  SI: 'Europe/Ljubljana',
  SK: 'Europe/Bratislava',
  TR: 'Europe/Istanbul',
  UA: 'Europe/Kyiv',
};

/**
 * The zone whose clock the calling window is read in: the called number's country when that country
 * has a single zone, the campaign's zone otherwise (or when the number's country is unknown).
 */
export function calledPartyTimeZone(e164: string, campaignTimeZone: string): string {
  const country = parsePhoneNumberFromString(e164)?.country;
  return (country && SINGLE_ZONE[country]) ?? campaignTimeZone;
}
