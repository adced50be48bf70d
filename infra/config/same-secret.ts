import { timingSafeEqual } from 'node:crypto';

/** Compares a presented secret with the configured one in constant time. */
export const sameSecret = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
