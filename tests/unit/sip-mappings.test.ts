import { describe, expect, it } from 'vitest';
import {
  DIALSTATUS_TO_SIP,
  ELEVENLABS_INITIATION_FAILURE_TO_SIP,
  SIP_FAILURE_DEFAULT,
  SIP_FAILURE_MAP,
  SIP_HANGUP_CAUSES,
  ULTRAVOX_END_REASON_MAP,
  ULTRAVOX_FAILURE_TERMINATIONS,
  ULTRAVOX_TERMINATION_OVERRIDE,
  ULTRAVOX_TERMINATION_TO_SIP,
  hangupCauseForSip,
  isFailureSipCode,
  isUltravoxFailureTermination,
  markCallFailed,
  resolveInitiationFailure,
  resolveSipTermination,
  ultravoxEndReason,
} from '../../domain/sip-mappings';

describe('seed 001 §3a ULTRAVOX_TERMINATION_TO_SIP', () => {
  it.each([
    ['SIP_TERMINATION_NORMAL', 200],
    ['SIP_TERMINATION_INVALID_NUMBER', 404],
    ['SIP_TERMINATION_TIMEOUT', 480],
    ['SIP_TERMINATION_DESTINATION_UNAVAILABLE', 503],
    ['SIP_TERMINATION_BUSY', 486],
    ['SIP_TERMINATION_CANCELED', 487],
    ['SIP_TERMINATION_REJECTED', 603],
    ['SIP_TERMINATION_UNKNOWN', 0],
  ] as const)('%s → %i', (reason, code) => {
    expect(ULTRAVOX_TERMINATION_TO_SIP[reason]).toBe(code);
    expect(resolveSipTermination({ terminationReason: reason }).sipCode).toBe(code);
  });

  it('has exactly the eight rows of the seed', () => {
    expect(Object.keys(ULTRAVOX_TERMINATION_TO_SIP)).toHaveLength(8);
  });
});

describe('seed 001 §3b ULTRAVOX_END_REASON_MAP', () => {
  it.each([
    ['hangup', 'completed', 'success'],
    ['agent_hangup', 'completed', 'success'],
    ['timeout', 'completed', 'no_answer'],
    ['unjoined', 'failed', 'no_answer'],
    ['connection_error', 'failed', 'failed'],
    ['system_error', 'failed', 'failed'],
  ] as const)('%s → %s / %s', (reason, status, outcome) => {
    expect(ULTRAVOX_END_REASON_MAP[reason]).toEqual({ status, outcome });
    expect(ultravoxEndReason(reason)).toEqual({ status, outcome });
  });

  it('has exactly the six rows of the seed, and no prototype entries', () => {
    expect(Object.keys(ULTRAVOX_END_REASON_MAP)).toHaveLength(6);
    expect(ultravoxEndReason('constructor')).toBeUndefined();
    expect(ultravoxEndReason('HANGUP')).toBeUndefined();
  });
});

describe('seed 001 §3c DIALSTATUS_TO_SIP', () => {
  it.each([
    ['BUSY', 486, 'busy', 'busy', 'busy'],
    ['NOANSWER', 480, 'no answer', 'no_answer', 'no_answer'],
    ['CONGESTION', 503, 'congestion', 'failed', 'failed'],
    ['CHANUNAVAIL', 503, 'channel unavailable', 'failed', 'failed'],
    ['CANCEL', 487, 'cancelled', 'failed', 'failed'],
  ] as const)('%s → %i (%s), resolved %s / %s', (dialStatus, sipCode, hangupCause, status, outcome) => {
    expect(DIALSTATUS_TO_SIP[dialStatus]).toEqual({ sipCode, hangupCause });
    expect(resolveSipTermination({ dialStatus, cause: '17' })).toEqual({
      sipCode,
      hangupCause,
      failure: expect.objectContaining({ status, outcome }),
    });
  });

  it('has exactly the five rows of the seed', () => {
    expect(Object.keys(DIALSTATUS_TO_SIP)).toHaveLength(5);
  });

  it('an unfamiliar DIALSTATUS from the call-failed webhook is still a failure', () => {
    expect(resolveSipTermination({ dialStatus: 'WEIRD', cause: '' })).toEqual({
      sipCode: null,
      hangupCause: 'WEIRD',
      failure: SIP_FAILURE_DEFAULT,
    });
  });
});

describe('seed 001 §3d ULTRAVOX_FAILURE_TERMINATIONS', () => {
  it.each([
    'SIP_TERMINATION_INVALID_NUMBER',
    'SIP_TERMINATION_TIMEOUT',
    'SIP_TERMINATION_DESTINATION_UNAVAILABLE',
    'SIP_TERMINATION_BUSY',
    'SIP_TERMINATION_CANCELED',
    'SIP_TERMINATION_REJECTED',
  ])('%s is a failure', (reason) => {
    expect(isUltravoxFailureTermination(reason)).toBe(true);
    expect(resolveSipTermination({ terminationReason: reason }).failure).not.toBeNull();
  });

  it.each(['SIP_TERMINATION_NORMAL', 'SIP_TERMINATION_UNKNOWN'])('%s is not a failure', (reason) => {
    expect(isUltravoxFailureTermination(reason)).toBe(false);
    expect(resolveSipTermination({ terminationReason: reason }).failure).toBeNull();
  });

  it('has exactly six members', () => {
    expect(ULTRAVOX_FAILURE_TERMINATIONS).toHaveLength(6);
  });
});

describe('seed 001 §4.2 step 3: Ultravox webhook termination override', () => {
  it.each([
    ['SIP_TERMINATION_INVALID_NUMBER', 'failed', 'failed', 404, 'invalid number'],
    ['SIP_TERMINATION_BUSY', 'busy', 'busy', 486, 'busy'],
    ['SIP_TERMINATION_TIMEOUT', 'no_answer', 'no_answer', 480, 'no answer'],
    ['SIP_TERMINATION_DESTINATION_UNAVAILABLE', 'failed', 'failed', 503, 'destination unavailable'],
    ['SIP_TERMINATION_REJECTED', 'failed', 'busy', 603, 'rejected'],
    ['SIP_TERMINATION_CANCELED', 'failed', 'failed', 487, 'cancelled'],
  ] as const)('%s → %s / %s', (reason, status, outcome, sipCode, hangupCause) => {
    expect(ULTRAVOX_TERMINATION_OVERRIDE[reason]).toEqual({ status, outcome });
    expect(resolveSipTermination({ terminationReason: reason })).toEqual({
      sipCode,
      hangupCause,
      failure: { status, outcome },
    });
  });

  it('the Ultravox reason is read before a raw code on the same report', () => {
    const resolved = resolveSipTermination({ terminationReason: 'SIP_TERMINATION_REJECTED', sipCode: 603 });
    expect(resolved.failure).toEqual({ status: 'failed', outcome: 'busy' });
  });
});

describe('seed 001 §3e SIP code → status/outcome (_mark_call_failed)', () => {
  it.each([
    [404, 'failed', 'failed', 'failed'],
    [480, 'no-answer', 'no_answer', 'no_answer'],
    [486, 'busy', 'busy', 'busy'],
    [487, 'failed', 'failed', 'failed'],
    [503, 'failed', 'failed', 'failed'],
    [603, 'busy', 'busy', 'busy'],
  ] as const)('%i → %s: %s / %s', (code, category, status, outcome) => {
    expect(SIP_FAILURE_MAP[code]).toEqual({ category, status, outcome });
    expect(markCallFailed(code)).toEqual({ category, status, outcome });
    expect(resolveSipTermination({ sipCode: code }).failure).toEqual({ category, status, outcome });
  });

  it.each([400, 408, 500, 502, 600, 999])('any other code (%i) → failed / failed', (code) => {
    expect(markCallFailed(code)).toEqual({ category: 'failed', status: 'failed', outcome: 'failed' });
  });

  it('has exactly the six explicit rows of the seed', () => {
    expect(Object.keys(SIP_FAILURE_MAP)).toHaveLength(6);
  });

  it.each([0, 100, 180, 200, 299])('raw code %i is not a failure', (code) => {
    expect(isFailureSipCode(code)).toBe(false);
    expect(resolveSipTermination({ sipCode: code }).failure).toBeNull();
  });
});

describe('hangup causes per SIP code', () => {
  it.each([
    [0, 'unknown'],
    [200, 'normal clearing'],
    [404, 'invalid number'],
    [480, 'no answer'],
    [486, 'busy'],
    [487, 'cancelled'],
    [503, 'destination unavailable'],
    [603, 'rejected'],
  ] as const)('%i → %s', (code, cause) => {
    expect(SIP_HANGUP_CAUSES[code]).toBe(cause);
    expect(hangupCauseForSip(code)).toBe(cause);
  });

  it('an unlisted code is named by number; a raw report prefers its own cause text', () => {
    expect(hangupCauseForSip(502)).toBe('SIP 502');
    expect(resolveSipTermination({ sipCode: 502 }).hangupCause).toBe('SIP 502');
    expect(resolveSipTermination({ sipCode: 502, cause: 'Bad Gateway' }).hangupCause).toBe('Bad Gateway');
  });

  it('a report with nothing recognisable decides nothing', () => {
    expect(resolveSipTermination({})).toEqual({ sipCode: null, hangupCause: null, failure: null });
    expect(resolveSipTermination({ terminationReason: 'SOMETHING_NEW' })).toEqual({
      sipCode: null,
      hangupCause: 'SOMETHING_NEW',
      failure: null,
    });
  });
});

describe('ElevenLabs call_initiation_failure', () => {
  it('maps the reasons of the table', () => {
    expect(ELEVENLABS_INITIATION_FAILURE_TO_SIP).toEqual({ busy: 486, 'no-answer': 480, unknown: null });
  });

  it.each([
    ['busy', 486, 'busy', 'busy', 'busy'],
    ['no-answer', 480, 'no answer', 'no_answer', 'no_answer'],
  ] as const)('%s → %i', (reason, sipCode, hangupCause, status, outcome) => {
    expect(resolveInitiationFailure(reason)).toEqual({
      sipCode,
      hangupCause,
      failure: expect.objectContaining({ status, outcome }),
    });
  });

  it('unknown → failed / failed without a code', () => {
    expect(resolveInitiationFailure('unknown')).toEqual({
      sipCode: null,
      hangupCause: 'call initiation failed',
      failure: SIP_FAILURE_DEFAULT,
    });
  });

  it('an explicit failing SIP code wins over the reason', () => {
    expect(resolveInitiationFailure('unknown', 404)).toEqual({
      sipCode: 404,
      hangupCause: 'invalid number',
      failure: expect.objectContaining({ status: 'failed', outcome: 'failed' }),
    });
    expect(resolveInitiationFailure('busy', 480).failure).toEqual(
      expect.objectContaining({ status: 'no_answer', outcome: 'no_answer' }),
    );
  });

  it('a non-failing SIP code is ignored', () => {
    expect(resolveInitiationFailure('busy', 0).sipCode).toBe(486);
    expect(resolveInitiationFailure('no-answer', 200).sipCode).toBe(480);
  });
});
