import { maskPhone } from '../../domain/phone';

/** E.164 numbers as they appear in messages, provider errors and URLs (where + may be %2B). */
const E164 = /(?:\+|%2B)([1-9]\d{6,14})/gi;

/** The masked form keeps no quote or backslash, so a JSON line stays JSON. */
export function maskNumbersIn(text: string): string {
  return text.replace(E164, (_match, digits: string) => maskPhone(`+${digits}`));
}

/** Keys holding a number: shown masked, as the Temporal UI's summaries show it. */
const NUMBER_KEYS = ['toNumber', 'phone', 'to'];

/** Keys whose values name or quote a person; any E.164 number elsewhere is masked in the line. */
const REDACTED_KEYS = [
  ...NUMBER_KEYS,
  'name',
  'contactName',
  'firstName',
  'lastName',
  'transcript',
  'utterance',
  'firstMessage',
  'variables',
  'dynamicVariables',
  // An activity's task token completes it through Temporal's API.
  'taskToken',
];

/** Secrets in request headers, and the cookies a response sets. */
const SECRET_HEADERS = [
  'authorization',
  'cookie',
  '["x-csrf-token"]',
  '["x-tool-secret"]',
  '["x-webhook-token"]',
  '["elevenlabs-signature"]',
  '["x-ultravox-webhook-signature"]',
];

/** pino redact paths: a key at the top of a line or one or two levels down, and the secret headers. */
export const REDACT_PATHS = [
  ...REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  ...SECRET_HEADERS.map((header) => `req.headers.${header}`),
  'res.headers["set-cookie"]',
];

/** pino's censor: a number keeps what the masked form shows; anything else is replaced whole. */
export function censor(value: unknown, path: string[]): string {
  const key = path[path.length - 1] ?? '';
  return NUMBER_KEYS.includes(key) && typeof value === 'string' ? maskPhone(value) : '[redacted]';
}
