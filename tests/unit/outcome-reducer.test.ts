import { describe, expect, it } from 'vitest';
import type { CallFact } from '../../domain/call-facts';
import { MANUAL_HANGUP_CAUSE, reduceCall, type CallResolution } from '../../domain/outcome-reducer';
import { FINAL_CALL_STATUSES } from '../../domain/vocabulary';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const t = (s: number): string => `2025-03-01T09:00:${String(s).padStart(2, '0')}.000Z`;

/** A fact at second `s` of the call; the key defaults to kind@second. */
function at(s: number, fact: DistributiveOmit<CallFact, 'at' | 'key'> & { key?: string }): CallFact {
  return { key: `${fact.kind}@${s}`, at: t(s), ...fact };
}

/** Every rotation and the reversal give the same resolution. */
function reduceAnyOrder(facts: CallFact[]): CallResolution {
  const result = reduceCall(facts);
  for (let i = 1; i < facts.length; i += 1) {
    expect(reduceCall([...facts.slice(i), ...facts.slice(0, i)])).toEqual(result);
  }
  expect(reduceCall([...facts].reverse())).toEqual(result);
  return result;
}

const ultravoxDial = at(0, { kind: 'dial_accepted', provider: 'ultravox', providerCallId: 'uv-1' });
const asteriskDial = at(0, { kind: 'dial_accepted', provider: 'asterisk', providerCallId: 'ch-1' });
const elevenDial = at(0, { kind: 'dial_accepted', provider: 'elevenlabs', providerCallId: 'conv-1' });

describe('seed 001 §8 scenario 1: busy', () => {
  it('Ultravox SIP_TERMINATION_BUSY → 486 busy / busy', () => {
    const r = reduceAnyOrder([
      ultravoxDial,
      at(2, { kind: 'ringing' }),
      at(5, { kind: 'sip_termination', terminationReason: 'SIP_TERMINATION_BUSY' }),
      at(6, { kind: 'ended', provider: 'ultravox', endReason: 'unjoined' }),
    ]);
    expect(r).toMatchObject({
      status: 'busy',
      outcome: 'busy',
      final: true,
      sipCode: 486,
      hangupCause: 'busy',
    });
    expect(r.endedAt).toBe(t(6));
  });

  it('Asterisk DIALSTATUS BUSY → 486 busy / busy', () => {
    const r = reduceAnyOrder([
      asteriskDial,
      at(5, { kind: 'sip_termination', dialStatus: 'BUSY', cause: '17' }),
    ]);
    expect(r).toMatchObject({
      status: 'busy',
      outcome: 'busy',
      final: true,
      sipCode: 486,
      hangupCause: 'busy',
    });
    expect(r.endedAt).toBe(t(5));
  });
});

describe('seed 001 §8 scenario 2: no answer', () => {
  it('Ultravox SIP_TERMINATION_TIMEOUT → 480 no_answer / no_answer', () => {
    const r = reduceAnyOrder([
      ultravoxDial,
      at(1, { kind: 'ringing' }),
      at(40, { kind: 'sip_termination', terminationReason: 'SIP_TERMINATION_TIMEOUT' }),
      at(41, { kind: 'ended', provider: 'ultravox', endReason: 'hangup' }),
    ]);
    expect(r).toMatchObject({
      status: 'no_answer',
      outcome: 'no_answer',
      sipCode: 480,
      hangupCause: 'no answer',
    });
  });

  it('Asterisk NOANSWER → 480 no_answer / no_answer', () => {
    const r = reduceAnyOrder([asteriskDial, at(30, { kind: 'sip_termination', dialStatus: 'NOANSWER' })]);
    expect(r).toMatchObject({ status: 'no_answer', outcome: 'no_answer', sipCode: 480 });
  });
});

describe('seed 001 §8 scenario 3: voicemail (the AMD race)', () => {
  const amdMachine = at(4, { kind: 'amd', status: 'MACHINE', cause: 'MAXWORDS-6-5' });
  const ultravoxEnd = [
    at(5, { kind: 'sip_termination', terminationReason: 'SIP_TERMINATION_CANCELED' }),
    at(6, { kind: 'ended', provider: 'ultravox', endReason: 'hangup', durationSeconds: 4 }),
  ];
  const expected = {
    status: 'completed',
    outcome: 'voicemail',
    final: true,
    sipCode: 487,
    hangupCause: 'AMD:MAXWORDS-6-5',
    amdStatus: 'MACHINE',
    amdCause: 'MAXWORDS-6-5',
  };

  it('AMD delivered before the Ultravox end webhook', () => {
    expect(reduceCall([ultravoxDial, at(3, { kind: 'answered' }), amdMachine, ...ultravoxEnd])).toMatchObject(
      expected,
    );
  });

  it('AMD delivered after the Ultravox end webhook: the voicemail is not overwritten', () => {
    const r = reduceCall([ultravoxDial, at(3, { kind: 'answered' }), ...ultravoxEnd, amdMachine]);
    expect(r).toMatchObject(expected);
    expect(r).toEqual(reduceCall([ultravoxDial, at(3, { kind: 'answered' }), amdMachine, ...ultravoxEnd]));
  });

  it('AMD stamped after the end event (a slow AMD webhook) still overrides', () => {
    const late = at(9, { kind: 'amd', status: 'MACHINE', cause: 'MAXWORDS-6-5' });
    expect(reduceAnyOrder([ultravoxDial, ...ultravoxEnd, late])).toMatchObject(expected);
  });

  it('AMD alone settles the call: the dialplan hangs up on MACHINE', () => {
    const r = reduceCall([ultravoxDial, amdMachine]);
    expect(r).toMatchObject({ status: 'completed', outcome: 'voicemail', final: true, endedAt: t(4) });
  });

  it('NOTSURE counts as a machine (seed 001 §7.1)', () => {
    const r = reduceAnyOrder([
      asteriskDial,
      at(3, { kind: 'amd', status: 'NOTSURE', cause: 'TOOLONG-3500' }),
      at(6, { kind: 'ended', provider: 'asterisk' }),
    ]);
    expect(r).toMatchObject({ status: 'completed', outcome: 'voicemail', hangupCause: 'AMD:TOOLONG-3500' });
  });

  it('AMD HUMAN does not override: the call completes as a conversation', () => {
    const r = reduceAnyOrder([
      ultravoxDial,
      at(3, { kind: 'amd', status: 'HUMAN', cause: 'HUMAN-1-3500' }),
      at(20, { kind: 'label', label: 'YES' }),
      at(25, { kind: 'sip_termination', terminationReason: 'SIP_TERMINATION_NORMAL' }),
      at(25, { kind: 'ended', provider: 'ultravox', endReason: 'hangup' }),
    ]);
    expect(r).toMatchObject({ status: 'completed', outcome: 'success', amdStatus: 'HUMAN', sipCode: 200 });
  });

  it('a MACHINE verdict beats a conflicting HUMAN one, whichever is later', () => {
    const human = at(8, { kind: 'amd', status: 'HUMAN' });
    const r = reduceAnyOrder([ultravoxDial, amdMachine, human, ...ultravoxEnd]);
    expect(r).toMatchObject({ outcome: 'voicemail', amdStatus: 'MACHINE' });
  });

  it('ElevenLabs voicemail detected by the agent tool → completed / voicemail', () => {
    const r = reduceAnyOrder([
      elevenDial,
      at(3, { kind: 'answered' }),
      at(12, { kind: 'ended', provider: 'elevenlabs', voicemailDetected: true, endReason: 'end_call tool' }),
    ]);
    expect(r).toMatchObject({ status: 'completed', outcome: 'voicemail', hangupCause: 'voicemail detected' });
  });
});

describe('seed 001 §8 scenario 4: invalid number', () => {
  it('Ultravox SIP_TERMINATION_INVALID_NUMBER → 404 failed / failed', () => {
    const r = reduceAnyOrder([
      ultravoxDial,
      at(1, { kind: 'sip_termination', terminationReason: 'SIP_TERMINATION_INVALID_NUMBER' }),
    ]);
    expect(r).toMatchObject({
      status: 'failed',
      outcome: 'failed',
      sipCode: 404,
      hangupCause: 'invalid number',
    });
  });

  it('a raw 404 (ElevenLabs SIP metadata) → failed / failed', () => {
    const r = reduceAnyOrder([elevenDial, at(1, { kind: 'sip_termination', sipCode: 404 })]);
    expect(r).toMatchObject({
      status: 'failed',
      outcome: 'failed',
      sipCode: 404,
      hangupCause: 'invalid number',
    });
  });
});

describe('seed 001 §8 scenario 5: manual cancel while ringing', () => {
  it('Ultravox: CANCEL comes back as 487 and endReason=hangup → cancelled / cancelled', () => {
    const r = reduceAnyOrder([
      ultravoxDial,
      at(1, { kind: 'ringing' }),
      at(4, { kind: 'hangup_requested', by: 'operator@example.com' }),
      at(5, { kind: 'sip_termination', terminationReason: 'SIP_TERMINATION_CANCELED' }),
      at(5, { kind: 'ended', provider: 'ultravox', endReason: 'hangup' }),
    ]);
    expect(r).toMatchObject({
      status: 'cancelled',
      outcome: 'cancelled',
      final: true,
      sipCode: 487,
      hangupCause: MANUAL_HANGUP_CAUSE,
      answeredAt: null,
    });
  });

  it('Asterisk: DIALSTATUS CANCEL → cancelled / cancelled, 487', () => {
    const r = reduceAnyOrder([
      asteriskDial,
      at(1, { kind: 'ringing' }),
      at(4, { kind: 'hangup_requested', by: 'op' }),
      at(5, { kind: 'sip_termination', dialStatus: 'CANCEL' }),
    ]);
    expect(r).toMatchObject({ status: 'cancelled', outcome: 'cancelled', sipCode: 487 });
  });

  it('only the provider confirmation ends it: before that the call is still ringing', () => {
    const r = reduceCall([
      ultravoxDial,
      at(1, { kind: 'ringing' }),
      at(4, { kind: 'hangup_requested', by: 'op' }),
    ]);
    expect(r).toMatchObject({ status: 'ringing', outcome: null, final: false, sipCode: null, endedAt: null });
  });

  it('a hang-up of an answered call is a normal end', () => {
    const r = reduceAnyOrder([
      ultravoxDial,
      at(2, { kind: 'answered' }),
      at(9, { kind: 'hangup_requested', by: 'op' }),
      at(10, { kind: 'ended', provider: 'ultravox', endReason: 'hangup' }),
    ]);
    expect(r).toMatchObject({ status: 'completed', outcome: 'success', answeredAt: t(2) });
  });

  it('an ElevenLabs transcript with a user turn counts as answered', () => {
    const r = reduceAnyOrder([
      elevenDial,
      at(9, { kind: 'hangup_requested', by: 'op' }),
      at(10, { kind: 'ended', provider: 'elevenlabs' }),
      at(11, { kind: 'post_call_data', transcript: [{ role: 'user', message: 'Alo?' }] }),
    ]);
    expect(r).toMatchObject({ status: 'completed', outcome: 'success' });
  });
});

describe('seed 001 §8 scenario 6: successful call', () => {
  it('Ultravox: AMD HUMAN, label YES, NORMAL → completed / success, 200, with the post-call data', () => {
    const r = reduceAnyOrder([
      ultravoxDial,
      at(2, { kind: 'ringing' }),
      at(6, { kind: 'answered' }),
      at(7, { kind: 'amd', status: 'HUMAN', cause: 'HUMAN-1-3500' }),
      at(30, { kind: 'label', label: 'YES' }),
      at(35, { kind: 'sip_termination', terminationReason: 'SIP_TERMINATION_NORMAL' }),
      at(35, {
        kind: 'ended',
        provider: 'ultravox',
        endReason: 'hangup',
        durationSeconds: 29,
        startedAt: t(6),
      }),
      at(50, {
        kind: 'post_call_data',
        durationSeconds: 30,
        cost: 0.12,
        transcript: [
          { role: 'agent', message: 'Merhaba', timeInCallSecs: 0 },
          { role: 'user', message: 'Evet', timeInCallSecs: 3 },
        ],
      }),
    ]);
    expect(r).toEqual({
      status: 'completed',
      outcome: 'success',
      final: true,
      sipCode: 200,
      hangupCause: 'normal clearing',
      amdStatus: 'HUMAN',
      amdCause: 'HUMAN-1-3500',
      providerCallId: 'uv-1',
      answeredAt: t(6),
      endedAt: t(35),
      startedAt: t(6),
      durationSeconds: 30,
      cost: 0.12,
      label: 'YES',
      transcript: [
        { role: 'agent', message: 'Merhaba', timeInCallSecs: 0 },
        { role: 'user', message: 'Evet', timeInCallSecs: 3 },
      ],
      transfer: null,
    });
  });

  it.each([
    ['YES', 'success'],
    ['NO', 'success'],
    ['DONT_CALL', 'opted_out'],
    ['ASK_AGENT', 'success'],
    ['UNKNOWN', 'success'],
    ['LATER', 'callback_scheduled'],
  ] as const)('label %s → completed / %s', (label, outcome) => {
    const r = reduceAnyOrder([
      elevenDial,
      at(3, { kind: 'answered' }),
      at(20, { kind: 'label', label }),
      at(25, { kind: 'ended', provider: 'elevenlabs', endReason: 'Client disconnected' }),
    ]);
    expect(r).toMatchObject({ status: 'completed', outcome, label, hangupCause: 'Client disconnected' });
  });

  it('ASK_AGENT with a scheduled callback → callback_scheduled', () => {
    const r = reduceAnyOrder([
      elevenDial,
      at(3, { kind: 'answered' }),
      at(20, { kind: 'label', label: 'ASK_AGENT' }),
      at(21, { kind: 'callback_scheduled' }),
      at(25, { kind: 'ended', provider: 'elevenlabs' }),
    ]);
    expect(r).toMatchObject({ status: 'completed', outcome: 'callback_scheduled', label: 'ASK_AGENT' });
  });

  it('ASK_AGENT with a transfer → transferred / transferred', () => {
    const r = reduceAnyOrder([
      elevenDial,
      at(3, { kind: 'answered' }),
      at(20, { kind: 'label', label: 'ASK_AGENT' }),
      at(21, { kind: 'transferred', to: '+905551112233' }),
      at(40, { kind: 'ended', provider: 'elevenlabs' }),
    ]);
    expect(r).toMatchObject({ status: 'transferred', outcome: 'transferred', final: true });
  });

  describe('a transfer on an Asterisk-originated call (issue 24)', () => {
    const to = '+905551112233';
    const asked = [
      asteriskDial,
      at(3, { kind: 'answered' }),
      at(20, { kind: 'label', label: 'ASK_AGENT' }),
      at(21, { kind: 'transfer', stage: 'requested', to }),
      at(22, { kind: 'transfer', stage: 'ringing', to }),
    ];

    it('on hold while the human leg rings', () => {
      expect(reduceAnyOrder(asked)).toMatchObject({ status: 'on_hold', final: false });
    });

    it('answered by the human → transferred, with the human leg duration', () => {
      const r = reduceAnyOrder([
        ...asked,
        at(30, { kind: 'transfer', stage: 'answered', to, cause: '16', humanSeconds: 95 }),
        at(130, { kind: 'ended', provider: 'asterisk' }),
      ]);
      expect(r).toMatchObject({ status: 'transferred', outcome: 'transferred', final: true });
      expect(r.transfer).toEqual({ to, stage: 'answered', sipCode: null, cause: '16', humanSeconds: 95 });
    });

    it.each(['busy', 'no_answer', 'failed'] as const)('%s → the campaign callback, the cause kept', (stage) => {
      const r = reduceAnyOrder([
        ...asked,
        at(30, { kind: 'transfer', stage, to, cause: '17' }),
        at(45, { kind: 'ended', provider: 'asterisk' }),
      ]);
      expect(r).toMatchObject({ status: 'completed', outcome: 'callback_scheduled', final: true });
      expect(r.transfer).toMatchObject({ stage, cause: '17', humanSeconds: null });
    });

    it("a provider's transferred confirmation counts as answered whatever failure report came with it", () => {
      const r = reduceAnyOrder([
        ...asked,
        at(30, { kind: 'transfer', stage: 'failed', to }),
        at(31, { kind: 'transferred', to }),
        at(40, { kind: 'ended', provider: 'asterisk' }),
      ]);
      expect(r).toMatchObject({ status: 'transferred', outcome: 'transferred' });
    });
  });

  it('the last label by time is the settled one', () => {
    const r = reduceAnyOrder([
      elevenDial,
      at(10, { kind: 'label', label: 'UNKNOWN' }),
      at(20, { kind: 'label', label: 'LATER' }),
      at(25, { kind: 'ended', provider: 'elevenlabs' }),
    ]);
    expect(r).toMatchObject({ label: 'LATER', outcome: 'callback_scheduled' });
  });

  it('Ultravox end reasons other than a hang-up keep their own mapping (seed 001 §3b)', () => {
    const timeout = reduceAnyOrder([
      ultravoxDial,
      at(9, { kind: 'ended', provider: 'ultravox', endReason: 'timeout' }),
    ]);
    expect(timeout).toMatchObject({ status: 'completed', outcome: 'no_answer', hangupCause: 'timeout' });
    const unjoined = reduceCall([
      ultravoxDial,
      at(9, { kind: 'ended', provider: 'ultravox', endReason: 'unjoined' }),
    ]);
    expect(unjoined).toMatchObject({ status: 'failed', outcome: 'no_answer' });
    const error = reduceCall([
      ultravoxDial,
      at(9, { kind: 'ended', provider: 'ultravox', endReason: 'system_error' }),
    ]);
    expect(error).toMatchObject({ status: 'failed', outcome: 'failed' });
  });
});

describe('seed 001 §8 scenario 7: destination unavailable', () => {
  it('Ultravox DESTINATION_UNAVAILABLE overrides the end reason → 503 failed / failed', () => {
    const r = reduceAnyOrder([
      ultravoxDial,
      at(2, { kind: 'sip_termination', terminationReason: 'SIP_TERMINATION_DESTINATION_UNAVAILABLE' }),
      at(3, { kind: 'ended', provider: 'ultravox', endReason: 'hangup' }),
    ]);
    expect(r).toMatchObject({
      status: 'failed',
      outcome: 'failed',
      sipCode: 503,
      hangupCause: 'destination unavailable',
    });
  });

  it.each(['CONGESTION', 'CHANUNAVAIL'])('Asterisk %s → 503 failed / failed', (dialStatus) => {
    const r = reduceAnyOrder([asteriskDial, at(2, { kind: 'sip_termination', dialStatus })]);
    expect(r).toMatchObject({ status: 'failed', outcome: 'failed', sipCode: 503 });
  });
});

describe('seed 001 §8 scenario 8: rejected', () => {
  it('Ultravox SIP_TERMINATION_REJECTED → 603 failed / busy', () => {
    const r = reduceAnyOrder([
      ultravoxDial,
      at(2, { kind: 'sip_termination', terminationReason: 'SIP_TERMINATION_REJECTED' }),
      at(3, { kind: 'ended', provider: 'ultravox', endReason: 'unjoined' }),
    ]);
    expect(r).toMatchObject({ status: 'failed', outcome: 'busy', sipCode: 603, hangupCause: 'rejected' });
  });

  it('a raw 603 goes through _mark_call_failed → busy / busy', () => {
    const r = reduceAnyOrder([asteriskDial, at(2, { kind: 'sip_termination', sipCode: 603 })]);
    expect(r).toMatchObject({ status: 'busy', outcome: 'busy', sipCode: 603 });
  });
});

describe('ElevenLabs call_initiation_failure', () => {
  it.each([
    ['busy', undefined, 'busy', 'busy', 486, 'busy'],
    ['no-answer', undefined, 'no_answer', 'no_answer', 480, 'no answer'],
    ['unknown', undefined, 'failed', 'failed', null, 'call initiation failed'],
    ['unknown', 503, 'failed', 'failed', 503, 'destination unavailable'],
    ['busy', 480, 'no_answer', 'no_answer', 480, 'no answer'],
  ] as const)('%s (SIP %s) → %s / %s', (failureReason, sipCode, status, outcome, code, cause) => {
    const r = reduceAnyOrder([
      elevenDial,
      at(20, {
        kind: 'initiation_failure',
        failureReason,
        ...(sipCode === undefined ? {} : { sipCode }),
      }),
    ]);
    expect(r).toMatchObject({
      status,
      outcome,
      final: true,
      sipCode: code,
      hangupCause: cause,
      endedAt: t(20),
    });
  });
});

describe('refusals before the dial', () => {
  it('DNC-blocked → blocked / dnc_blocked, and it outranks everything', () => {
    const r = reduceAnyOrder([
      at(0, { kind: 'dnc_blocked', reason: 'listed' }),
      at(1, { kind: 'amd', status: 'MACHINE' }),
      at(2, { kind: 'ended', provider: 'elevenlabs' }),
    ]);
    expect(r).toMatchObject({
      status: 'blocked',
      outcome: 'dnc_blocked',
      final: true,
      hangupCause: 'listed',
    });
    expect(FINAL_CALL_STATUSES).toContain(r.status);
  });

  it('campaign cancelled before the dial → cancelled / cancelled', () => {
    const r = reduceCall([at(0, { kind: 'cancelled', reason: 'campaign cancelled' })]);
    expect(r).toMatchObject({
      status: 'cancelled',
      outcome: 'cancelled',
      final: true,
      hangupCause: 'campaign cancelled',
      endedAt: t(0),
      sipCode: null,
    });
  });

  it('dial rejected → failed / failed with the reason', () => {
    const r = reduceCall([at(0, { kind: 'dial_rejected', reason: '422 invalid phone number' })]);
    expect(r).toMatchObject({ status: 'failed', outcome: 'failed', hangupCause: '422 invalid phone number' });
  });

  it('dial unknown → failed / failed with the reason', () => {
    const r = reduceCall([at(30, { kind: 'dial_unknown', reason: 'no call found at provider' })]);
    expect(r).toMatchObject({
      status: 'failed',
      outcome: 'failed',
      final: true,
      hangupCause: 'no call found at provider',
    });
  });

  it('a provider end that turns up after all outranks the unknown dial', () => {
    const r = reduceAnyOrder([
      at(30, { kind: 'dial_unknown', reason: 'no call found at provider' }),
      at(31, { kind: 'sip_termination', dialStatus: 'BUSY' }),
    ]);
    expect(r).toMatchObject({ status: 'busy', outcome: 'busy' });
  });
});

describe('progress before the end', () => {
  it.each<[string, CallFact[], string]>([
    ['nothing', [], 'queued'],
    ['dial accepted', [elevenDial], 'ringing'],
    ['ringing', [at(1, { kind: 'ringing' })], 'ringing'],
    ['answered', [elevenDial, at(3, { kind: 'answered' })], 'connected'],
    ['AMD HUMAN', [ultravoxDial, at(3, { kind: 'amd', status: 'HUMAN' })], 'talking'],
    ['label', [elevenDial, at(3, { kind: 'answered' }), at(9, { kind: 'label', label: 'NO' })], 'talking'],
    ['transfer not yet ended', [elevenDial, at(9, { kind: 'transferred', to: '+90' })], 'talking'],
    [
      'a non-failing SIP report',
      [ultravoxDial, at(9, { kind: 'sip_termination', terminationReason: 'SIP_TERMINATION_NORMAL' })],
      'ringing',
    ],
  ])('%s → %s, not final', (_name, facts, status) => {
    const r = reduceAnyOrder(facts);
    expect(r).toMatchObject({ status, outcome: null, final: false, endedAt: null });
    expect(FINAL_CALL_STATUSES).not.toContain(r.status);
  });
});

describe('set semantics', () => {
  const call = [
    ultravoxDial,
    at(2, { kind: 'ringing' }),
    at(4, { kind: 'answered' }),
    at(5, { kind: 'amd', status: 'MACHINE', cause: 'MAXWORDS-6-5' }),
    at(6, { kind: 'sip_termination', terminationReason: 'SIP_TERMINATION_CANCELED' }),
    at(7, { kind: 'ended', provider: 'ultravox', endReason: 'hangup' }),
  ];

  it('a fact delivered many times counts once', () => {
    const once = reduceCall(call);
    expect(reduceCall([...call, ...call, call[3]!, call[5]!, call[0]!])).toEqual(once);
  });

  it('a duplicate with its properties in another order is the same fact', () => {
    const amd = {
      cause: 'MAXWORDS-6-5',
      status: 'MACHINE',
      at: call[3]!.at,
      kind: 'amd',
      key: call[3]!.key,
    } as const;
    expect(reduceCall([...call, amd])).toEqual(reduceCall(call));
  });

  it('two different facts under one key: the same one is kept whatever the order', () => {
    const a = at(9, { kind: 'label', label: 'YES', key: 'k' });
    const b = at(9, { kind: 'label', label: 'NO', key: 'k' });
    expect(reduceCall([a, b])).toEqual(reduceCall([b, a]));
  });

  it('times with offsets compare as instants', () => {
    const early = { ...at(0, { kind: 'label', label: 'NO', key: 'a' }), at: '2025-03-01T11:59:00+03:00' };
    const late = { ...at(0, { kind: 'label', label: 'YES', key: 'b' }), at: '2025-03-01T09:00:00Z' };
    expect(reduceCall([late, early]).label).toBe('YES');
    expect(reduceCall([early, late]).label).toBe('YES');
  });

  it('does not hand out the caller’s transcript objects', () => {
    const transcript = [{ role: 'user' as const, message: 'Evet' }];
    const r = reduceCall([at(1, { kind: 'post_call_data', transcript })]);
    expect(r.transcript).toEqual(transcript);
    expect(r.transcript).not.toBe(transcript);
    expect(r.transcript![0]).not.toBe(transcript[0]);
  });
});
