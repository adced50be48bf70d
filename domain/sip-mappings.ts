import type { CallOutcome, CallStatus } from './vocabulary';

/**
 * The SIP mapping tables of seed 001 §3 (and the §4.2 webhook override), kept row for row, plus
 * the functions that read one SIP-level report with them. Pure data: no I/O.
 */

export interface StatusOutcome {
  readonly status: CallStatus;
  readonly outcome: CallOutcome;
}

/** SIP 487 Request Terminated: what a CANCEL of a ringing leg produces. */
export const SIP_REQUEST_TERMINATED = 487;
/** SIP 480 Temporarily Unavailable: what a leg that rang out without an answer reports. */
export const SIP_TEMPORARILY_UNAVAILABLE = 480;

/** Seed 001 §3a: Ultravox `sipDetails.terminationReason` → SIP code. */
export const ULTRAVOX_TERMINATION_TO_SIP = {
  SIP_TERMINATION_NORMAL: 200,
  SIP_TERMINATION_INVALID_NUMBER: 404,
  SIP_TERMINATION_TIMEOUT: 480,
  SIP_TERMINATION_DESTINATION_UNAVAILABLE: 503,
  SIP_TERMINATION_BUSY: 486,
  SIP_TERMINATION_CANCELED: 487,
  SIP_TERMINATION_REJECTED: 603,
  SIP_TERMINATION_UNKNOWN: 0,
} as const satisfies Record<string, number>;
export type UltravoxTerminationReason = keyof typeof ULTRAVOX_TERMINATION_TO_SIP;

/** Seed 001 §3b: Ultravox `endReason` → status and outcome (the lowest-precedence layer). */
export const ULTRAVOX_END_REASON_MAP = {
  hangup: { status: 'completed', outcome: 'success' },
  agent_hangup: { status: 'completed', outcome: 'success' },
  timeout: { status: 'completed', outcome: 'no_answer' },
  unjoined: { status: 'failed', outcome: 'no_answer' },
  connection_error: { status: 'failed', outcome: 'failed' },
  system_error: { status: 'failed', outcome: 'failed' },
} as const satisfies Record<string, StatusOutcome>;
export type UltravoxEndReason = keyof typeof ULTRAVOX_END_REASON_MAP;

/** Seed 001 §3c: Asterisk `DIALSTATUS` (call-failed webhook) → SIP code and hangup cause. */
export const DIALSTATUS_TO_SIP = {
  BUSY: { sipCode: 486, hangupCause: 'busy' },
  NOANSWER: { sipCode: 480, hangupCause: 'no answer' },
  CONGESTION: { sipCode: 503, hangupCause: 'congestion' },
  CHANUNAVAIL: { sipCode: 503, hangupCause: 'channel unavailable' },
  CANCEL: { sipCode: 487, hangupCause: 'cancelled' },
} as const satisfies Record<string, { sipCode: number; hangupCause: string }>;
export type DialStatus = keyof typeof DIALSTATUS_TO_SIP;

/**
 * Seed 001 §3d: the termination reasons that mean the call failed. NORMAL and UNKNOWN are absent
 * on purpose: they carry a SIP code but decide nothing.
 */
export const ULTRAVOX_FAILURE_TERMINATIONS = [
  'SIP_TERMINATION_INVALID_NUMBER',
  'SIP_TERMINATION_TIMEOUT',
  'SIP_TERMINATION_DESTINATION_UNAVAILABLE',
  'SIP_TERMINATION_BUSY',
  'SIP_TERMINATION_CANCELED',
  'SIP_TERMINATION_REJECTED',
] as const satisfies readonly UltravoxTerminationReason[];
export type UltravoxFailureTermination = (typeof ULTRAVOX_FAILURE_TERMINATIONS)[number];

/**
 * Seed 001 §4.2 step 3: the Ultravox webhook's override for a failure termination. It differs from
 * §3e in one row: REJECTED (603) is failed/busy here but busy/busy in `_mark_call_failed`; the
 * webhook runs last in the seed, so §8 scenario 8 records failed/busy, and so do we.
 */
export const ULTRAVOX_TERMINATION_OVERRIDE = {
  SIP_TERMINATION_INVALID_NUMBER: { status: 'failed', outcome: 'failed' },
  SIP_TERMINATION_BUSY: { status: 'busy', outcome: 'busy' },
  SIP_TERMINATION_TIMEOUT: { status: 'no_answer', outcome: 'no_answer' },
  SIP_TERMINATION_DESTINATION_UNAVAILABLE: { status: 'failed', outcome: 'failed' },
  SIP_TERMINATION_REJECTED: { status: 'failed', outcome: 'busy' },
  SIP_TERMINATION_CANCELED: { status: 'failed', outcome: 'failed' },
} as const satisfies Record<UltravoxFailureTermination, StatusOutcome>;

export interface SipFailureRow extends StatusOutcome {
  readonly category: 'failed' | 'no-answer' | 'busy';
}

/** Seed 001 §3e: `_mark_call_failed`'s SIP code → category, status, outcome. */
export const SIP_FAILURE_MAP = {
  404: { category: 'failed', status: 'failed', outcome: 'failed' },
  480: { category: 'no-answer', status: 'no_answer', outcome: 'no_answer' },
  486: { category: 'busy', status: 'busy', outcome: 'busy' },
  487: { category: 'failed', status: 'failed', outcome: 'failed' },
  503: { category: 'failed', status: 'failed', outcome: 'failed' },
  603: { category: 'busy', status: 'busy', outcome: 'busy' },
} as const satisfies Record<number, SipFailureRow>;

/** Seed 001 §3e "(diğer)": any other failing code. */
export const SIP_FAILURE_DEFAULT: SipFailureRow = { category: 'failed', status: 'failed', outcome: 'failed' };

/** Human-readable hangup cause per SIP code (seed 001 §3a/§9 descriptions). */
export const SIP_HANGUP_CAUSES = {
  0: 'unknown',
  200: 'normal clearing',
  404: 'invalid number',
  480: 'no answer',
  486: 'busy',
  487: 'cancelled',
  503: 'destination unavailable',
  603: 'rejected',
} as const satisfies Record<number, string>;

/** ElevenLabs `call_initiation_failure` reason → SIP code; `unknown` has none (plain failed). */
export const ELEVENLABS_INITIATION_FAILURE_TO_SIP = {
  busy: 486,
  'no-answer': 480,
  unknown: null,
} as const satisfies Record<string, number | null>;
export type InitiationFailureReason = keyof typeof ELEVENLABS_INITIATION_FAILURE_TO_SIP;

/** What one SIP-level report says: its code and cause, and the verdict when it is a failure. */
export interface SipResolution {
  sipCode: number | null;
  hangupCause: string | null;
  /** Null when the report is not a failure (200, SIP_TERMINATION_UNKNOWN, unrecognised text). */
  failure: StatusOutcome | null;
}

/** The fields of a SIP termination report (structurally `SipTerminationFact`). */
export interface SipTerminationReport {
  terminationReason?: string;
  dialStatus?: string;
  sipCode?: number;
  cause?: string;
}

/** Own-property lookup, so that a provider string such as "constructor" never hits the prototype. */
function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

export function isUltravoxFailureTermination(reason: string): reason is UltravoxFailureTermination {
  return (ULTRAVOX_FAILURE_TERMINATIONS as readonly string[]).includes(reason);
}

export function ultravoxEndReason(endReason: string): StatusOutcome | undefined {
  return lookup<StatusOutcome>(ULTRAVOX_END_REASON_MAP, endReason);
}

/** `_mark_call_failed`: status and outcome for a failing SIP code. */
export function markCallFailed(sipCode: number): SipFailureRow {
  return lookup<SipFailureRow>(SIP_FAILURE_MAP, String(sipCode)) ?? SIP_FAILURE_DEFAULT;
}

export function hangupCauseForSip(sipCode: number): string {
  return lookup<string>(SIP_HANGUP_CAUSES, String(sipCode)) ?? `SIP ${sipCode}`;
}

/** 1xx and 2xx say the call went through, 0 says nothing; 3xx and above are failures. */
export function isFailureSipCode(sipCode: number): boolean {
  return sipCode >= 300;
}

/**
 * One SIP termination report. A recognised Ultravox reason is read first, then a recognised
 * DIALSTATUS, then the raw code; the provider's own classification is the more specific one.
 */
export function resolveSipTermination(report: SipTerminationReport): SipResolution {
  const { terminationReason, dialStatus, sipCode } = report;
  const cause = nonEmpty(report.cause);

  const ultravoxCode =
    terminationReason === undefined
      ? undefined
      : lookup<number>(ULTRAVOX_TERMINATION_TO_SIP, terminationReason);
  if (terminationReason !== undefined && ultravoxCode !== undefined) {
    return {
      sipCode: ultravoxCode,
      hangupCause: hangupCauseForSip(ultravoxCode),
      failure: isUltravoxFailureTermination(terminationReason)
        ? ULTRAVOX_TERMINATION_OVERRIDE[terminationReason]
        : null,
    };
  }

  const dial = dialStatus === undefined ? undefined : lookup(DIALSTATUS_TO_SIP, dialStatus);
  if (dial !== undefined) {
    // Seed 001 §7.2 writes no_answer for every DIALSTATUS; §8 (busy → busy/busy) and §3e disagree,
    // so the code goes through `_mark_call_failed` like every other failing code.
    return { sipCode: dial.sipCode, hangupCause: dial.hangupCause, failure: markCallFailed(dial.sipCode) };
  }

  if (sipCode !== undefined) {
    return {
      sipCode,
      hangupCause: lookup<string>(SIP_HANGUP_CAUSES, String(sipCode)) ?? cause ?? `SIP ${sipCode}`,
      failure: isFailureSipCode(sipCode) ? markCallFailed(sipCode) : null,
    };
  }

  if (nonEmpty(dialStatus) !== undefined) {
    // The call-failed webhook only fires on a failed dial, so an unfamiliar DIALSTATUS still failed.
    return { sipCode: null, hangupCause: cause ?? dialStatus ?? null, failure: SIP_FAILURE_DEFAULT };
  }

  return { sipCode: null, hangupCause: cause ?? nonEmpty(terminationReason) ?? null, failure: null };
}

/**
 * ElevenLabs `call_initiation_failure`: always a failure. An explicit failing SIP code wins over
 * the coarse reason; a non-failing one (0, 2xx) says nothing and is ignored.
 */
export function resolveInitiationFailure(
  failureReason: InitiationFailureReason,
  sipCode?: number,
): SipResolution & { failure: StatusOutcome } {
  const code =
    sipCode !== undefined && isFailureSipCode(sipCode)
      ? sipCode
      : (lookup<number | null>(ELEVENLABS_INITIATION_FAILURE_TO_SIP, failureReason) ?? null);
  if (code === null) {
    return { sipCode: null, hangupCause: 'call initiation failed', failure: SIP_FAILURE_DEFAULT };
  }
  return { sipCode: code, hangupCause: hangupCauseForSip(code), failure: markCallFailed(code) };
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text;
}
