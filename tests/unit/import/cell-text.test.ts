import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateText, numberText } from '../../../api/import/cell-text';

describe('numberText', () => {
  it('shows a fraction as Excel does: at most 15 significant digits, shortest form', () => {
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(1234.56)).toBe('1234.56');
    expect(numberText(-0.000125)).toBe('-0.000125');
    expect(numberText(1 / 3)).toBe('0.333333333333333');
    expect(numberText(1.5e-7)).toBe('1.5e-7');
  });

  it('gives every fraction the 15-digit rounding, whichever way it gets there', () => {
    fc.assert(
      fc.property(
        fc
          .oneof(
            fc.double({ noNaN: true, noDefaultInfinity: true }),
            // Amounts as people type them: a few decimals, up to 16 digits in all.
            fc
              .tuple(fc.integer({ min: -(2 ** 53), max: 2 ** 53 }), fc.integer({ min: 1, max: 8 }))
              .map(([digits, decimals]) => digits / 10 ** decimals),
          )
          .filter((n) => !Number.isInteger(n)),
        (n) => numberText(n) === String(Number(n.toPrecision(15))),
      ),
      { numRuns: 20_000 },
    );
    for (const cents of [1, 5, 10, 99, 12_345, 999_999]) {
      const n = cents / 100 + 1e6;
      expect(numberText(n)).toBe(String(Number(n.toPrecision(15))));
    }
  });
});

describe('dateText', () => {
  it('formats a date the same way however often it repeats, across cache turnover', () => {
    const first = Date.UTC(2024, 0, 31);
    expect(dateText(new Date(first))).toBe('2024-01-31');
    for (let day = 0; day < 5000; day++) dateText(new Date(Date.UTC(2000, 0, 1) + day * 86_400_000));
    expect(dateText(new Date(first))).toBe('2024-01-31');
    expect(dateText(new Date(Date.UTC(2024, 0, 31, 9, 30)))).toBe('2024-01-31T09:30');
    expect(dateText(new Date(Date.UTC(1899, 11, 30, 14, 5, 7)))).toBe('14:05:07');
    expect(dateText(new Date(Number.NaN))).toBe('');
  });
});
