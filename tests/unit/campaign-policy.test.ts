import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_FOLLOWUPS, nextAttempt, type RetrySettings } from '../../domain/retry-policy';
import { callAttemptId, sha1, uuidV5 } from '../../domain/uuid';

const settings: RetrySettings = {
  maxAttempts: 3,
  busyDelayMinutes: 2,
  noAnswerDelayMinutes: 5,
  retryVoicemail: false,
};
const NOW = Date.parse('2026-11-22T10:00:00Z');

describe('uuidV5 / sha1 (pure, for workflow code)', () => {
  it('matches node:crypto SHA-1 for any input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const expected = createHash('sha1').update(bytes).digest('hex');
        expect(Buffer.from(sha1(bytes)).toString('hex')).toBe(expected);
      }),
    );
  });

  it('matches the RFC 4122 v5 reference (uuid5(NAMESPACE_DNS, "python.org"))', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
  });

  it('gives one stable id per (campaign, contact, attempt) and different ids otherwise', () => {
    const a = callAttemptId('c1', 'k1', 1);
    expect(callAttemptId('c1', 'k1', 1)).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(
      new Set([a, callAttemptId('c1', 'k1', 2), callAttemptId('c1', 'k2', 1), callAttemptId('c2', 'k1', 1)])
        .size,
    ).toBe(4);
  });
});

describe('nextAttempt', () => {
  const result = (outcome: string | null, label: string | null = null, followupAt?: string) =>
    ({ outcome, label, ...(followupAt ? { followupAt } : {}) }) as Parameters<typeof nextAttempt>[0];

  it('retries busy and no-answer after their delays until maxAttempts', () => {
    expect(nextAttempt(result('busy'), 1, 0, settings, NOW)).toEqual({
      kind: 'retry',
      notBefore: NOW + 2 * 60_000,
    });
    expect(nextAttempt(result('no_answer'), 2, 0, settings, NOW)).toEqual({
      kind: 'retry',
      notBefore: NOW + 5 * 60_000,
    });
    expect(nextAttempt(result('busy'), 3, 0, settings, NOW)).toBeNull();
  });

  it('retries voicemail only when configured', () => {
    expect(nextAttempt(result('voicemail'), 1, 0, settings, NOW)).toBeNull();
    expect(nextAttempt(result('voicemail'), 1, 0, { ...settings, retryVoicemail: true }, NOW)).not.toBeNull();
  });

  it('never retries a success, DONT_CALL, a DNC block or a final label', () => {
    expect(nextAttempt(result('success', 'YES'), 1, 0, settings, NOW)).toBeNull();
    expect(
      nextAttempt(result('opted_out', 'DONT_CALL', '2026-11-23T10:00:00Z'), 1, 0, settings, NOW),
    ).toBeNull();
    expect(nextAttempt(result('dnc_blocked'), 1, 0, settings, NOW)).toBeNull();
    expect(nextAttempt(result('busy', 'NO'), 1, 0, settings, NOW)).toBeNull();
  });

  it('schedules a LATER follow-up at the asked time, not counted against maxAttempts, at most MAX_FOLLOWUPS', () => {
    const at = '2026-11-23T09:30:00Z';
    expect(nextAttempt(result('success', 'LATER', at), 3, 0, settings, NOW)).toEqual({
      kind: 'followup',
      notBefore: Date.parse(at),
    });
    expect(nextAttempt(result('success', 'LATER', '2026-11-01T00:00:00Z'), 1, 0, settings, NOW)).toEqual({
      kind: 'followup',
      notBefore: NOW,
    });
    expect(nextAttempt(result('success', 'LATER', at), 1, MAX_FOLLOWUPS, settings, NOW)).toBeNull();
    expect(nextAttempt(result('success', 'LATER'), 1, 0, settings, NOW)).toBeNull();
    expect(nextAttempt(result('success', 'LATER', 'not a date'), 1, 0, settings, NOW)).toBeNull();
  });
});
