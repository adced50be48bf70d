import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Random bytes drawn at a time: 8 per id. */
const POOL_IDS = 4096;

/**
 * RFC 9562 version 7 UUIDs in ascending order, one per call of the returned function: a 48-bit
 * millisecond timestamp, then a 12-bit sequence (rand_a used as a counter, §6.2 method 1) so that
 * ids made in the same millisecond still ascend, then 62 random bits. Ids that ascend land at the
 * right edge of a B-tree: a 100k-contact import then appends to the primary key instead of writing
 * all over it. Made one at a time, so a large import never holds them all.
 */
export function uuidV7Sequence(now = Date.now()): () => string {
  const pool = Buffer.alloc(POOL_IDS * 8);
  let used = POOL_IDS;
  let ms = now;
  let sequence = 0;
  return () => {
    if (sequence > 0xfff) {
      // 4096 ids in one millisecond: borrow the next one, still ascending and still unique.
      ms += 1;
      sequence = 0;
    }
    if (used === POOL_IDS) {
      randomFillSync(pool);
      used = 0;
    }
    const r = used++ * 8;
    const time = ms.toString(16).padStart(12, '0');
    const seq = (sequence++).toString(16).padStart(3, '0');
    const variant = `${HEX[(pool[r]! & 0x3f) | 0x80]}${HEX[pool[r + 1]!]}`;
    let node = '';
    for (let i = r + 2; i < r + 8; i++) node += HEX[pool[i]!];
    return `${time.slice(0, 8)}-${time.slice(8)}-7${seq}-${variant}-${node}`;
  };
}
