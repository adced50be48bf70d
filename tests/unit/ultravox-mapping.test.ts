import { describe, expect, it } from 'vitest';
import {
  numberFromSipUri,
  parseUltravoxDuration,
  ultravoxCallFacts,
  ultravoxCallFromWire,
  ultravoxEventFacts,
} from '../../activities/providers/ultravox/mapping';
import { reduceCall } from '../../domain/outcome-reducer';

const base = {
  callId: 'uv-1',
  created: '2026-11-22T10:00:00.000Z',
  metadata: { call_id: '7d1c3f0e-1111-4a4a-9b9b-000000000001' },
  medium: { sip: { outgoing: { to: 'sip:+905321234567@asterisk.example:5043', from: 'outdial' } } },
};

function call(extra: Record<string, unknown>) {
  return ultravoxCallFromWire({ ...base, ...extra })!;
}

const dial = {
  kind: 'dial_accepted' as const,
  key: 'dial_accepted:x',
  at: base.created,
  provider: 'ultravox' as const,
  providerCallId: 'uv-1',
};

describe('ultravox mapping', () => {
  it('parses protobuf durations and SIP URIs', () => {
    expect(parseUltravoxDuration('12s')).toBe(12);
    expect(parseUltravoxDuration('3.250s')).toBe(3.25);
    expect(parseUltravoxDuration('12')).toBeUndefined();
    expect(parseUltravoxDuration(null)).toBeUndefined();
    expect(numberFromSipUri('sip:+905321234567@host:5043')).toBe('+905321234567');
    expect(numberFromSipUri('sips:%2B4915510528458@h;transport=tls')).toBe('+4915510528458');
    expect(numberFromSipUri('tel:+1')).toBeUndefined();
  });

  it('reads the call object fields, our call id and the dialled number', () => {
    expect(
      call({ endReason: 'hangup', sipDetails: { terminationReason: 'SIP_TERMINATION_NORMAL' } }),
    ).toMatchObject({
      callId: 'uv-1',
      outdialCallId: base.metadata.call_id,
      endReason: 'hangup',
      terminationReason: 'SIP_TERMINATION_NORMAL',
      toNumber: '+905321234567',
    });
    expect(ultravoxCallFromWire({ created: base.created })).toBeUndefined();
  });

  it('a live call tells only that it was answered', () => {
    expect(ultravoxCallFacts(call({ joined: '2026-11-22T10:00:05.000Z' }))).toEqual([
      { kind: 'answered', key: 'ultravox:answered:uv-1', at: '2026-11-22T10:00:05.000Z' },
    ]);
    expect(ultravoxCallFacts(call({}))).toEqual([]);
  });

  it('an ended call gives sip_termination, ended and billed post-call data with stable keys', () => {
    const facts = ultravoxCallFacts(
      call({
        joined: '2026-11-22T10:00:05.000Z',
        ended: '2026-11-22T10:00:35.000Z',
        endReason: 'hangup',
        billedDuration: '31s',
        shortSummary: 'Reminder delivered',
        sipDetails: { terminationReason: 'SIP_TERMINATION_NORMAL' },
      }),
    );
    expect(facts.map((f) => f.key)).toEqual([
      'ultravox:answered:uv-1',
      'ultravox:sip:uv-1',
      'ultravox:ended:uv-1',
      'ultravox:post_call:uv-1',
    ]);
    expect(facts[2]).toMatchObject({
      kind: 'ended',
      endReason: 'hangup',
      durationSeconds: 30,
      provider: 'ultravox',
    });
    expect(facts[3]).toMatchObject({
      kind: 'post_call_data',
      durationSeconds: 31,
      summary: 'Reminder delivered',
    });
    const record = reduceCall([dial, ...facts]);
    expect(record).toMatchObject({
      status: 'completed',
      outcome: 'success',
      sipCode: 200,
      durationSeconds: 31,
    });
  });

  it.each([
    ['SIP_TERMINATION_BUSY', 'busy', 'busy', 486],
    ['SIP_TERMINATION_TIMEOUT', 'no_answer', 'no_answer', 480],
    ['SIP_TERMINATION_INVALID_NUMBER', 'failed', 'failed', 404],
    ['SIP_TERMINATION_REJECTED', 'failed', 'busy', 603],
  ])('an unjoined call ended by %s records %s/%s (%d)', (reason, status, outcome, sipCode) => {
    const facts = ultravoxCallFacts(
      call({
        ended: '2026-11-22T10:00:20.000Z',
        endReason: 'unjoined',
        sipDetails: { terminationReason: reason },
      }),
    );
    expect(reduceCall([dial, ...facts])).toMatchObject({ status, outcome, sipCode, final: true });
  });

  it('call.started adds the ringing leg; the other events only the call state', () => {
    expect(ultravoxEventFacts('call.started', call({}))).toEqual([
      { kind: 'ringing', key: 'ultravox:ringing:uv-1', at: base.created },
    ]);
    expect(ultravoxEventFacts('call.joined', call({ joined: '2026-11-22T10:00:05.000Z' }))).toHaveLength(1);
  });

  it('call.ended and call.billed of the same call give facts with the same keys', () => {
    const ended = call({
      ended: '2026-11-22T10:00:35.000Z',
      endReason: 'hangup',
      joined: '2026-11-22T10:00:05.000Z',
    });
    const billed = call({
      ended: '2026-11-22T10:00:35.000Z',
      endReason: 'hangup',
      joined: '2026-11-22T10:00:05.000Z',
      billedDuration: '31s',
    });
    const endedKeys = ultravoxEventFacts('call.ended', ended).map((f) => f.key);
    const billedKeys = ultravoxEventFacts('call.billed', billed).map((f) => f.key);
    expect(billedKeys).toEqual(expect.arrayContaining(endedKeys));
  });
});
