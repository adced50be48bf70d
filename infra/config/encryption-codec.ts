import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { PayloadKeys } from './payload-keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const { Payload: PayloadMessage } = temporal.api.common.v1;

/** Synchronous work as a promise, its throw a rejection. */
const settled = <T>(work: () => T) => new Promise<T>((resolve) => resolve(work()));
const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString() : undefined);

/**
 * AES-256-GCM over each whole payload (metadata and data), under the current key; the key id rides
 * in clear metadata so any listed key decrypts, and is authenticated as the cipher's additional
 * data. Payloads written before encryption (the committed replay histories) decode as they are.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: PayloadKeys) {}

  encode(payloads: Payload[]): Promise<Payload[]> {
    const id = this.keys.current;
    const key = this.keys.byId.get(id)!;
    return settled(() =>
      payloads.map((payload) => {
        const iv = randomBytes(IV_BYTES);
        const cipher = createCipheriv(ALGORITHM, key, iv).setAAD(Buffer.from(id));
        const sealed = Buffer.concat([
          cipher.update(PayloadMessage.encode(payload).finish()),
          cipher.final(),
        ]);
        return {
          metadata: {
            [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
            [KEY_ID_METADATA]: Buffer.from(id),
          },
          data: Buffer.concat([iv, sealed, cipher.getAuthTag()]),
        };
      }),
    );
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return settled(() => payloads.map((payload) => this.decodeOne(payload)));
  }

  private decodeOne(payload: Payload): Payload {
    if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
    const id = text(payload.metadata?.[KEY_ID_METADATA]);
    const key = id === undefined ? undefined : this.keys.byId.get(id);
    if (!key || id === undefined) {
      throw new PayloadKeyError(
        `payload encrypted under key "${id ?? '(none)'}", which PAYLOAD_KEYS does not hold`,
      );
    }
    const data = Buffer.from(payload.data ?? []);
    try {
      const decipher = createDecipheriv(ALGORITHM, key, data.subarray(0, IV_BYTES)).setAAD(Buffer.from(id));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const opened = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      const { metadata, data: inner } = PayloadMessage.decode(opened);
      return { metadata, data: inner };
    } catch {
      throw new PayloadKeyError(
        `payload under key "${id}" does not decrypt: altered, or PAYLOAD_KEYS holds another key by that id`,
      );
    }
  }
}

export class PayloadKeyError extends Error {
  override readonly name = 'PayloadKeyError';
}
