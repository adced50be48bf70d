import { describe, expect, it } from 'vitest';
import {
  amdEventKey,
  amdFact,
  dialplanNumberToE164,
  callFailedEventKey,
  callFailedFact,
  callTransferredEventKey,
  callTransferredFact,
  channelFacts,
  parseAmdResult,
  parseCallFailed,
  parseCallTransferred,
} from '../../activities/providers/asterisk/mapping';
import { reduceCall } from '../../domain/outcome-reducer';

const at = '2026-11-22T10:00:00.000Z';
const dial = {
  kind: 'dial_accepted' as const,
  key: 'dial_accepted:x',
  at,
  provider: 'asterisk' as const,
  providerCallId: 'c1',
};

describe('asterisk mapping', () => {
  it('reads seed 001 amd-result bodies by uuid or by phone', () => {
    expect(parseAmdResult({ uuid: 'abc-123', status: 'MACHINE', cause: 'MAXWORDS-6-5' })).toEqual({
      uuid: 'abc-123',
      status: 'MACHINE',
      cause: 'MAXWORDS-6-5',
    });
    expect(
      parseAmdResult({
        phone: '+4915510528458',
        status: 'notsure',
        cause: 'TOOLONG-3500',
        source: 'ultravox',
      }),
    ).toEqual({ phone: '+4915510528458', status: 'NOTSURE', cause: 'TOOLONG-3500', source: 'ultravox' });
    // The dialplan writes an empty uuid for bridged legs.
    expect(parseAmdResult({ uuid: '', phone: '+4915510528458', status: 'HUMAN', cause: '' })).toEqual({
      phone: '+4915510528458',
      status: 'HUMAN',
    });
  });

  it.each([
    [{ status: 'MACHINE' }],
    [{ uuid: 'a', status: 'ROBOT' }],
    [{ uuid: 5, status: 'MACHINE' }],
    [{ uuid: 'a', status: 'MACHINE', cause: 3 }],
    [[]],
    ['MACHINE'],
  ])('refuses a malformed amd-result %j', (body) => {
    expect(parseAmdResult(body)).toBeNull();
  });

  it('reads call-failed bodies and refuses malformed ones', () => {
    expect(parseCallFailed({ uuid: 'c1', status: 'BUSY', cause: '17' })).toEqual({
      uuid: 'c1',
      status: 'BUSY',
      cause: '17',
    });
    expect(parseCallFailed({ uuid: 'c1', status: 'noanswer' })).toEqual({ uuid: 'c1', status: 'NOANSWER' });
    expect(parseCallFailed({ status: 'BUSY' })).toBeNull();
    expect(parseCallFailed({ uuid: 'c1', status: 'BUSY; rm -rf' })).toBeNull();
  });

  it('reads the ultravox-transfer context body; the target must be a number', () => {
    const body = { phone: '+905321234567', target: '00905551112233', source: 'ultravox' };
    const payload = parseCallTransferred(body)!;
    expect(payload).toEqual({ phone: '+905321234567', target: '+905551112233', source: 'ultravox' });
    expect(callTransferredEventKey(payload)).toBe('call-transferred:+905321234567:+905551112233');
    expect(callTransferredFact(payload, at)).toEqual({
      kind: 'transferred',
      key: 'transferred',
      at,
      to: '+905551112233',
    });
    expect(parseCallTransferred({ uuid: '', phone: '', target: '+905551112233' })).toBeNull();
    expect(parseCallTransferred({ phone: '+905321234567', target: 'sales-queue' })).toBeNull();
    expect(parseCallTransferred({ phone: 905321234567, target: '+905551112233' })).toBeNull();
  });

  it('a confirmed transfer ends an answered call as transferred', () => {
    const transferred = callTransferredFact({ phone: '+905321234567', target: '+905551112233' }, at);
    const facts = [
      dial,
      { kind: 'answered' as const, key: 'answered', at },
      { kind: 'ended' as const, key: 'ended', at, provider: 'ultravox' as const },
    ];
    expect(reduceCall([...facts, transferred])).toMatchObject({ outcome: 'transferred' });
    expect(reduceCall([transferred, ...facts])).toMatchObject({ outcome: 'transferred' });
    expect(reduceCall(facts).outcome).not.toBe('transferred');
  });

  it('builds the stable event keys of the brief', () => {
    expect(amdEventKey({ uuid: 'u', status: 'MACHINE', cause: 'X' })).toBe('amd:u:MACHINE:X');
    expect(amdEventKey({ phone: '+90', status: 'HUMAN' })).toBe('amd:+90:HUMAN:');
    expect(callFailedEventKey({ uuid: 'u', status: 'BUSY', cause: '17' })).toBe('call-failed:u:BUSY');
  });

  it('normalises the numbers the dialplan writes to E.164', () => {
    expect(dialplanNumberToE164('+4915510528458')).toBe('+4915510528458');
    expect(dialplanNumberToE164('004915510528458')).toBe('+4915510528458');
    expect(dialplanNumberToE164('905321234567')).toBe('+905321234567');
    expect(dialplanNumberToE164('+90 (532) 123-45-67')).toBe('+905321234567');
    expect(dialplanNumberToE164('anonymous')).toBeUndefined();
  });

  it.each([
    ['BUSY', 'busy', 'busy', 486],
    ['NOANSWER', 'no_answer', 'no_answer', 480],
    ['CHANUNAVAIL', 'failed', 'failed', 503],
    ['CONGESTION', 'failed', 'failed', 503],
  ])('call-failed %s records %s/%s (%d)', (status, callStatus, outcome, sipCode) => {
    const fact = callFailedFact({ uuid: 'c1', status }, at);
    expect(reduceCall([dial, fact])).toMatchObject({ status: callStatus, outcome, sipCode, final: true });
  });

  it('AMD MACHINE ends the call as voicemail; HUMAN only says it was answered', () => {
    const machine = amdFact({ uuid: 'c1', status: 'MACHINE', cause: 'MAXWORDS-6-5' }, at);
    expect(reduceCall([dial, machine])).toMatchObject({
      status: 'completed',
      outcome: 'voicemail',
      amdStatus: 'MACHINE',
      hangupCause: 'AMD:MAXWORDS-6-5',
    });
    const human = amdFact({ uuid: 'c1', status: 'HUMAN', cause: 'HUMAN-1-3500' }, at);
    expect(reduceCall([dial, human])).toMatchObject({ final: false, status: 'talking' });
  });

  it('a channel that no longer exists has ended; a live one tells its state', () => {
    expect(channelFacts('c1', undefined, at)).toEqual([
      { kind: 'ended', key: 'asterisk:ended:c1', at, provider: 'asterisk' },
    ]);
    expect(channelFacts('c1', { state: 'Up', creationtime: at }, at)).toEqual([
      { kind: 'answered', key: 'asterisk:answered:c1', at },
    ]);
    expect(channelFacts('c1', { state: 'Ring' }, at)[0]).toMatchObject({ kind: 'ringing' });
    expect(channelFacts('c1', { state: 'Down' }, at)).toEqual([]);
  });
});
