import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { EncryptionCodec, PayloadKeyError } from '../../infra/config/encryption-codec';

const NUMBER = '+905321234567';
const keyA = randomBytes(32);
const keyB = randomBytes(32);
const underA = new EncryptionCodec({ current: 'a', byId: new Map([['a', keyA]]) });
const rotatedToB = new EncryptionCodec({
  current: 'b',
  byId: new Map([
    ['b', keyB],
    ['a', keyA],
  ]),
});
const onlyB = new EncryptionCodec({ current: 'b', byId: new Map([['b', keyB]]) });

const input = () => defaultPayloadConverter.toPayload({ toNumber: NUMBER, name: 'Ayşe Yılmaz' });
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString();
const value = (payload: Payload | undefined) => defaultPayloadConverter.fromPayload(payload!);

describe('EncryptionCodec (issue 20, item 17)', () => {
  it('hides the payload, data and metadata alike, under the current key id', async () => {
    const [sealed] = await underA.encode([input()]);
    expect(text(sealed!.metadata!.encoding)).toBe('binary/encrypted');
    expect(text(sealed!.metadata!['encryption-key-id'])).toBe('a');
    expect(Object.keys(sealed!.metadata!)).toEqual(['encoding', 'encryption-key-id']);
    expect(Buffer.from(sealed!.data!).includes(NUMBER)).toBe(false);
    expect(Buffer.from(sealed!.data!).includes('json/plain')).toBe(false);
    expect(value((await underA.decode([sealed!]))[0])).toEqual({ toNumber: NUMBER, name: 'Ayşe Yılmaz' });
  });

  it('seals the same payload differently each time (a fresh IV)', async () => {
    const [one, two] = await underA.encode([input(), input()]);
    expect(Buffer.from(one!.data!).equals(Buffer.from(two!.data!))).toBe(false);
  });

  it('passes payloads written before encryption through decode unchanged', async () => {
    const plain = input();
    expect(await underA.decode([plain])).toEqual([plain]);
  });

  it('decodes what key A wrote once B is current and A is kept, and writes under B', async () => {
    const [old] = await underA.encode([input()]);
    expect(value((await rotatedToB.decode([old!]))[0])).toMatchObject({ toNumber: NUMBER });
    const [fresh] = await rotatedToB.encode([input()]);
    expect(text(fresh!.metadata!['encryption-key-id'])).toBe('b');
    await expect(underA.decode([fresh!])).rejects.toThrow(
      'payload encrypted under key "b", which PAYLOAD_KEYS does not hold',
    );
  });

  it('refuses a payload under a key id it does not hold, naming the id', async () => {
    const [old] = await underA.encode([input()]);
    await expect(onlyB.decode([old!])).rejects.toThrow(PayloadKeyError);
    await expect(onlyB.decode([old!])).rejects.toThrow(
      'payload encrypted under key "a", which PAYLOAD_KEYS does not hold',
    );
  });

  it('refuses an altered payload, and one whose key id was swapped', async () => {
    const [sealed] = await underA.encode([input()]);
    const data = Buffer.from(sealed!.data!);
    data[20] = data[20]! ^ 1;
    await expect(underA.decode([{ ...sealed!, data }])).rejects.toThrow(
      'payload under key "a" does not decrypt',
    );
    // The same key under another id: the id is authenticated with the data.
    const twoIds = new EncryptionCodec({
      current: 'a',
      byId: new Map([
        ['a', keyA],
        ['c', keyA],
      ]),
    });
    const relabelled = {
      ...sealed!,
      metadata: { ...sealed!.metadata, 'encryption-key-id': Buffer.from('c') },
    };
    await expect(twoIds.decode([relabelled])).rejects.toThrow('payload under key "c" does not decrypt');
    await expect(underA.decode([{ ...sealed!, data: Buffer.alloc(3) }])).rejects.toThrow(PayloadKeyError);
  });
});
