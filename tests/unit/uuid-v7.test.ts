import { describe, expect, it } from 'vitest';
import { uuidV7Sequence } from '../../schema/repositories/uuid-v7';

function make(count: number, now: number): string[] {
  const next = uuidV7Sequence(now);
  return Array.from({ length: count }, next);
}

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function timestampOf(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

describe('uuidV7Sequence', () => {
  it('makes RFC 9562 version 7 ids carrying the time they were made', () => {
    const now = Date.UTC(2026, 10, 22, 10, 0, 0);
    const ids = make(3, now);
    for (const id of ids) expect(id).toMatch(V7);
    expect(ids.map(timestampOf)).toEqual([now, now, now]);
  });

  it('ascends and never repeats, past 4096 ids in one millisecond', () => {
    const ids = make(10_000, 1_700_000_000_000);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // The sequence ran out twice: the last ids borrowed two milliseconds.
    expect(timestampOf(ids.at(-1)!)).toBe(1_700_000_000_002);
  });
});
