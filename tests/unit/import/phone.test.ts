import { describe, expect, it } from 'vitest';
import { maskPhone, normalizePhone } from '../../../domain/phone';

describe('normalizePhone', () => {
  it.each([
    '0532 123 45 67',
    '+90 (532) 123-4567',
    '5321234567',
    '90 532 123 45 67',
    '0090 532 123 45 67',
    '+905321234567',
    "'05321234567",
    '5321234567.0',
    'tel:+905321234567',
  ])('reads the Turkish mobile number written as %j', (raw) => {
    expect(normalizePhone(raw, 'TR')).toEqual({ ok: true, e164: '+905321234567' });
  });

  it('uses the default country only for national numbers', () => {
    expect(normalizePhone('0212 555 12 12', 'TR')).toEqual({ ok: true, e164: '+902125551212' });
    expect(normalizePhone('+44 20 7946 0958', 'TR')).toEqual({ ok: true, e164: '+442079460958' });
    expect(normalizePhone('020 7946 0958', 'gb')).toEqual({ ok: true, e164: '+442079460958' });
  });

  it('says why a value is not a number', () => {
    expect(normalizePhone('  ', 'TR')).toEqual({ ok: false, reason: 'EMPTY' });
    expect(normalizePhone('yok', 'TR')).toEqual({ ok: false, reason: 'NOT_A_NUMBER' });
    expect(normalizePhone('123', 'TR')).toEqual({ ok: false, reason: 'INVALID' });
    // Lost precision from a CSV round trip through Excel's General format.
    expect(normalizePhone('9,05321E+11', 'TR')).toEqual({ ok: false, reason: 'INVALID' });
  });

  it('refuses an unknown default country', () => {
    expect(() => normalizePhone('0532 123 45 67', 'XX')).toThrow(RangeError);
  });
});

describe('maskPhone', () => {
  it('keeps the country code, first group and last two digits', () => {
    expect(maskPhone('+905321234567')).toBe('+90 532 *** ** 67');
    expect(maskPhone('+442079460958')).toBe('+44 20 **** **58');
  });

  it('masks what it cannot parse without revealing it', () => {
    expect(maskPhone('+9053')).toBe('****');
    expect(maskPhone('not a number 12345678')).toBe('12****78');
  });
});
