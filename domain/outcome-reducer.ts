import {
  FAILED_TRANSFER_STAGES,
  type AmdFact,
  type CallFact,
  type CallFactKind,
  type TranscriptTurn,
  type TransferStage,
} from './call-facts';
import {
  resolveInitiationFailure,
  resolveSipTermination,
  SIP_REQUEST_TERMINATED,
  ultravoxEndReason,
  type SipResolution,
  type StatusOutcome,
} from './sip-mappings';
import type { AmdStatus, CallOutcome, CallStatus, Label } from './vocabulary';

/** The call record as the facts determine it. */
export interface CallResolution {
  status: CallStatus;
  /** Null until `final`. */
  outcome: CallOutcome | null;
  /** True once an end-type fact is known; then `status` is one of FINAL_CALL_STATUSES. */
  final: boolean;
  sipCode: number | null;
  hangupCause: string | null;
  amdStatus: AmdStatus | null;
  amdCause: string | null;
  providerCallId: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  startedAt: string | null;
  durationSeconds: number | null;
  cost: number | null;
  label: Label | null;
  transcript: TranscriptTurn[] | null;
  transfer: TransferResolution | null;
}

/** A transfer to a human as far as it got. */
export interface TransferResolution {
  to: string;
  stage: TransferStage;
  sipCode: number | null;
  cause: string | null;
  /** The human leg's talk time; null until reported (ElevenLabs and Ultravox report none). */
  humanSeconds: number | null;
}

type FactOf<K extends CallFactKind> = Extract<CallFact, { kind: K }>;

/** How a final call was decided; `sipCode`/`hangupCause` left out fall back on the SIP layer. */
interface Verdict extends StatusOutcome {
  sipCode?: number;
  hangupCause?: string;
}

/** Seed 001 §8 scenario 5. */
export const MANUAL_HANGUP_CAUSE = 'User Hangup (Manual)';

/**
 * The call record as a pure function of the SET of facts: the same facts in any order, delivered
 * any number of times, give a deep-equal result. That is what removes seed 001's AMD-versus-webhook
 * race: nothing here looks at arrival order, and where two facts of one kind disagree the choice is
 * made by (`at`, `key`).
 */
export function reduceCall(facts: readonly CallFact[]): CallResolution {
  const set = factSet(facts);
  const sip = sipLayer(set);
  const endFacts = set.filter(isEndFact);
  const verdict = endFacts.length > 0 ? decide(set, sip) : null;
  const ended = latest(set, 'ended');
  const amd = decisiveAmd(set);
  const transcript = lastValue(ofKind(set, 'post_call_data'), (f) => f.transcript);

  return {
    status: verdict?.status ?? progressStatus(set),
    outcome: verdict?.outcome ?? null,
    final: verdict !== null,
    sipCode: verdict?.sipCode ?? sip?.sipCode ?? null,
    hangupCause: verdict?.hangupCause ?? sip?.hangupCause ?? ended?.endReason ?? null,
    amdStatus: amd?.status ?? null,
    amdCause: amd?.cause ?? null,
    providerCallId: latest(set, 'dial_accepted')?.providerCallId ?? null,
    answeredAt: earliest(set, 'answered')?.at ?? null,
    // The provider's end is the call's end; without one, the first fact that ended it.
    endedAt: verdict === null ? null : (ended?.at ?? endFacts[0]?.at ?? null),
    startedAt:
      lastValue(ofKind(set, 'ended'), (f) => f.startedAt) ?? earliest(set, 'dial_accepted')?.at ?? null,
    // Post-call data is the billed figure; the end event's duration is the fallback.
    durationSeconds:
      lastValue(ofKind(set, 'post_call_data'), (f) => f.durationSeconds) ??
      lastValue(ofKind(set, 'ended'), (f) => f.durationSeconds),
    cost: lastValue(ofKind(set, 'post_call_data'), (f) => f.cost),
    label: latest(set, 'label')?.label ?? null,
    transcript: transcript === null ? null : transcript.map((turn) => ({ ...turn })),
    transfer: transferOf(set),
  };
}

/**
 * Precedence, highest first. The pre-dial refusals (DNC, campaign cancel, rejected dial) mean no
 * call existed. Then seed 001 §7.3: AMD MACHINE/NOTSURE > SIP termination > provider end reason.
 * A manual hang-up of a never-answered call sits above the SIP layer because the CANCEL it sends
 * comes back as 487 or as Ultravox `endReason=hangup` (seed 001 A10 §5), which would otherwise read
 * as a failure or a success. A dial of unknown result counts only when no provider fact ended the call.
 */
function decide(set: readonly CallFact[], sip: SipResolution | null): Verdict {
  const dnc = latest(set, 'dnc_blocked');
  if (dnc) return { status: 'blocked', outcome: 'dnc_blocked', hangupCause: dnc.reason };

  const cancelled = latest(set, 'cancelled');
  if (cancelled) return { status: 'cancelled', outcome: 'cancelled', hangupCause: cancelled.reason };

  const rejected = latest(set, 'dial_rejected');
  if (rejected) return { status: 'failed', outcome: 'failed', hangupCause: rejected.reason };

  const amd = decisiveAmd(set);
  if (amd && isMachine(amd)) {
    // Seed 001 §7.1 records "AMD:<cause>"; the SIP code (often 487 from the aborted leg) is kept.
    return { status: 'completed', outcome: 'voicemail', hangupCause: `AMD:${amd.cause ?? amd.status}` };
  }

  // A cancelled ringing call is the operator's decision, not a technical failure: `cancelled`, so
  // that retry-by-outcome never re-dials it (the seed's `failed` only reflects its missing enum).
  if (has(set, 'hangup_requested') && !wasAnswered(set)) {
    return {
      status: 'cancelled',
      outcome: 'cancelled',
      sipCode: SIP_REQUEST_TERMINATED,
      hangupCause: MANUAL_HANGUP_CAUSE,
    };
  }

  if (sip?.failure) return { status: sip.failure.status, outcome: sip.failure.outcome };

  const ended = latest(set, 'ended');
  if (ended) return endedVerdict(ended, set);

  const unknown = latest(set, 'dial_unknown');
  return { status: 'failed', outcome: 'failed', hangupCause: unknown?.reason ?? 'dial result unknown' };
}

/** The provider's end, refined by the conversation when the call ended normally. */
function endedVerdict(ended: FactOf<'ended'>, set: readonly CallFact[]): Verdict {
  // A voicemail detection is never retracted, so any end event saying so counts.
  if (ofKind(set, 'ended').some((f) => f.voicemailDetected === true)) {
    return { status: 'completed', outcome: 'voicemail', hangupCause: 'voicemail detected' };
  }
  const byReason =
    ended.provider === 'ultravox' && ended.endReason !== undefined
      ? ultravoxEndReason(ended.endReason)
      : undefined;
  if (byReason && !(byReason.status === 'completed' && byReason.outcome === 'success')) {
    return { status: byReason.status, outcome: byReason.outcome };
  }
  return conversationOutcome(set);
}

/**
 * Outcome of a conversation that ended normally. A transfer or a scheduled callback is what
 * happened, whatever the label. LATER means "call me later": the workflow schedules that callback
 * from this outcome, so it is `callback_scheduled` even before a callback fact exists. DONT_CALL
 * is `opted_out`: read alone, the outcome column must not call an opt-out a success. Every other
 * label (ASK_AGENT without a callback or transfer, UNKNOWN, none) is a completed conversation.
 */
function conversationOutcome(set: readonly CallFact[]): Verdict {
  const transfer = transferOf(set);
  if (transfer?.stage === 'answered') return { status: 'transferred', outcome: 'transferred' };
  // A transfer nobody answered falls back to the campaign's callback (the workflow creates it).
  if (transfer && FAILED_TRANSFER_STAGES.includes(transfer.stage)) {
    return { status: 'completed', outcome: 'callback_scheduled' };
  }
  if (has(set, 'callback_scheduled')) return { status: 'completed', outcome: 'callback_scheduled' };
  const label = latest(set, 'label')?.label;
  if (label === 'LATER') return { status: 'completed', outcome: 'callback_scheduled' };
  if (label === 'DONT_CALL') return { status: 'completed', outcome: 'opted_out' };
  return { status: 'completed', outcome: 'success' };
}

/** Status of a call still in progress: the furthest stage any fact shows. */
function progressStatus(set: readonly CallFact[]): CallStatus {
  const transfer = transferOf(set);
  if (transfer?.stage === 'requested' || transfer?.stage === 'ringing') return 'on_hold';
  if (inConversation(set)) return 'talking';
  if (wasAnswered(set)) return 'connected';
  // ElevenLabs sends no ringing event; an accepted dial is a phone being rung.
  if (has(set, 'ringing') || has(set, 'dial_accepted')) return 'ringing';
  return 'queued';
}

function inConversation(set: readonly CallFact[]): boolean {
  return (
    has(set, 'label') ||
    has(set, 'transferred') ||
    has(set, 'transfer') ||
    has(set, 'callback_scheduled') ||
    ofKind(set, 'amd').some((f) => f.status === 'HUMAN') ||
    ofKind(set, 'post_call_data').some((f) => (f.transcript ?? []).length > 0)
  );
}

/** Someone picked up: an answer event, an AMD verdict (AMD runs after answer), or a conversation. */
function wasAnswered(set: readonly CallFact[]): boolean {
  return (
    has(set, 'answered') ||
    has(set, 'amd') ||
    has(set, 'label') ||
    has(set, 'transferred') ||
    has(set, 'transfer') ||
    has(set, 'callback_scheduled') ||
    ofKind(set, 'post_call_data').some((f) => (f.transcript ?? []).some((turn) => turn.role === 'user'))
  );
}

/**
 * The furthest stage the reports show: an answer (a provider's `transferred` is one) wins, then the
 * latest failure, then ringing, then the request. Reports are in the set's total order, so the
 * latest is the same whatever order they arrived in.
 */
function transferOf(set: readonly CallFact[]): TransferResolution | null {
  const reports = ofKind(set, 'transfer');
  const confirmed = latest(set, 'transferred');
  if (reports.length === 0 && !confirmed) return null;
  const last = (stages: readonly TransferStage[]) => reports.filter((f) => stages.includes(f.stage)).at(-1);
  const decisive =
    last(['answered']) ??
    (confirmed ? undefined : (last(FAILED_TRANSFER_STAGES) ?? last(['ringing']) ?? last(['requested'])));
  const stage = decisive?.stage ?? 'answered';
  const atStage = reports.filter((f) => f.stage === stage);
  return {
    to: decisive?.to ?? confirmed?.to ?? '',
    stage,
    sipCode: lastValue(atStage, (f) => f.sipCode),
    cause: lastValue(atStage, (f) => f.cause),
    humanSeconds: lastValue(atStage, (f) => f.humanSeconds),
  };
}

const END_KINDS: ReadonlySet<CallFactKind> = new Set<CallFactKind>([
  'ended',
  'initiation_failure',
  'dial_rejected',
  'dial_unknown',
  'dnc_blocked',
  'cancelled',
]);

/**
 * Facts after which the outcome is settled. AMD MACHINE/NOTSURE is one: the dialplan hangs up both
 * legs on it (seed 001 §8 scenario 3) and nothing the call could still report overrides it.
 */
function isEndFact(fact: CallFact): boolean {
  if (END_KINDS.has(fact.kind)) return true;
  if (fact.kind === 'sip_termination') return resolveSipTermination(fact).failure !== null;
  if (fact.kind === 'amd') return isMachine(fact);
  return false;
}

/**
 * The SIP layer: the latest failing report (SIP termination or ElevenLabs initiation failure);
 * without one, the latest report that names a code (e.g. 200 NORMAL), for the record.
 */
function sipLayer(set: readonly CallFact[]): SipResolution | null {
  const reports = set.flatMap((fact): SipResolution[] => {
    if (fact.kind === 'sip_termination') return [resolveSipTermination(fact)];
    if (fact.kind !== 'initiation_failure') return [];
    return [resolveInitiationFailure(fact.failureReason, fact.sipCode)];
  });
  const newestFirst = reports.reverse();
  return (
    newestFirst.find((r) => r.failure !== null) ??
    newestFirst.find((r) => r.sipCode !== null) ??
    newestFirst[0] ??
    null
  );
}

/** A MACHINE/NOTSURE verdict wins over HUMAN: the voicemail override must never be lost. */
function decisiveAmd(set: readonly CallFact[]): AmdFact | undefined {
  const amds = ofKind(set, 'amd');
  return amds.filter(isMachine).at(-1) ?? amds.at(-1);
}

function isMachine(amd: AmdFact): boolean {
  return amd.status === 'MACHINE' || amd.status === 'NOTSURE';
}

/**
 * One fact per key, in a total order independent of arrival: by instant, then `at` text, then key.
 * A key names one fact; should two different facts ever share one, the same one is kept anyway.
 */
function factSet(facts: readonly CallFact[]): CallFact[] {
  const byKey = new Map<string, CallFact>();
  for (const fact of facts) {
    const kept = byKey.get(fact.key);
    if (kept === undefined || compareText(canonical(fact), canonical(kept)) < 0) byKey.set(fact.key, fact);
  }
  return [...byKey.values()].sort(compareFacts);
}

function compareFacts(a: CallFact, b: CallFact): number {
  return instant(a.at) - instant(b.at) || compareText(a.at, b.at) || compareText(a.key, b.key);
}

/** Epoch milliseconds, so that "…+03:00" and "…Z" compare as instants; unparseable sorts last. */
function instant(at: string): number {
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? Number.MAX_VALUE : ms;
}

/** Code-unit order: locale-independent, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON with sorted object keys, so two equal facts built in different key orders compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => compareText(a, b)))
      : v,
  );
}

function ofKind<K extends CallFactKind>(set: readonly CallFact[], kind: K): FactOf<K>[] {
  return set.filter((fact): fact is FactOf<K> => fact.kind === kind);
}

function has(set: readonly CallFact[], kind: CallFactKind): boolean {
  return set.some((fact) => fact.kind === kind);
}

function latest<K extends CallFactKind>(set: readonly CallFact[], kind: K): FactOf<K> | undefined {
  return ofKind(set, kind).at(-1);
}

function earliest<K extends CallFactKind>(set: readonly CallFact[], kind: K): FactOf<K> | undefined {
  return ofKind(set, kind)[0];
}

/** The latest fact's value for a field that not every fact of the kind carries. */
function lastValue<F, T>(facts: readonly F[], pick: (fact: F) => T | undefined): T | null {
  for (const fact of [...facts].reverse()) {
    const value = pick(fact);
    if (value !== undefined) return value;
  }
  return null;
}
