import { z } from 'zod';

/** The keys Temporal payloads are encrypted under: `current` encrypts, every key decrypts. */
export interface PayloadKeys {
  readonly current: string;
  readonly byId: ReadonlyMap<string, Buffer>;
}

const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** `PAYLOAD_KEYS`: comma-separated `<id>:<base64 of 32 bytes>` (AES-256), old keys kept for decrypting. */
export const PayloadKeyList = z.string().transform((value, context) => {
  const keys = new Map<string, Buffer>();
  for (const entry of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [id = '', material = ''] = entry.split(':', 2);
    const key = Buffer.from(material, 'base64');
    if (!KEY_ID.test(id))
      context.addIssue({ code: 'custom', message: `key id "${id}" is not 1-64 of A-Z a-z 0-9 . _ -` });
    else if (keys.has(id)) context.addIssue({ code: 'custom', message: `key id "${id}" is listed twice` });
    else if (key.length !== KEY_BYTES || key.toString('base64') !== material)
      context.addIssue({ code: 'custom', message: `key "${id}" is not the base64 of ${KEY_BYTES} bytes` });
    else keys.set(id, key);
  }
  if (keys.size === 0)
    context.addIssue({ code: 'custom', message: 'lists no key (<id>:<base64 of 32 bytes>)' });
  return keys;
});
