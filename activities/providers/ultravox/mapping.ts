import type { CallFact } from '../../../domain/call-facts';
import { isRecord, str } from '../http';

/** The fields Outdial reads from an Ultravox call object (`GET /api/calls/:id`, every webhook's `call`). */
export interface UltravoxCall {
  callId: string;
  /** Our call id, sent as `metadata.call_id`. */
  outdialCallId: string | undefined;
  created: string | undefined;
  joined: string | undefined;
  ended: string | undefined;
  endReason: string | undefined;
  terminationReason: string | undefined;
  billedDurationSeconds: number | undefined;
  summary: string | undefined;
  /** The number dialled through Asterisk (from `medium.sip.outgoing.to`). */
  toNumber: string | undefined;
}

export const ULTRAVOX_EVENTS = ['call.started', 'call.joined', 'call.ended', 'call.billed'] as const;

/** Ultravox durations are protobuf Durations rendered as text: "12s", "12.340s". */
export function parseUltravoxDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? Number(match[1]) : undefined;
}

/** `sip:+905321234567@asterisk:5043` → `+905321234567`. */
export function numberFromSipUri(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  const user = /^sips?:([^@;]+)/i.exec(uri.trim())?.[1];
  return user ? decodeURIComponent(user) : undefined;
}

export function ultravoxCallFromWire(call: Record<string, unknown>): UltravoxCall | undefined {
  const callId = str(call.callId);
  if (!callId) return undefined;
  const metadata = isRecord(call.metadata) ? call.metadata : {};
  const sipDetails = isRecord(call.sipDetails) ? call.sipDetails : {};
  const medium = isRecord(call.medium) ? call.medium : {};
  const sip = isRecord(medium.sip) ? medium.sip : {};
  const outgoing = isRecord(sip.outgoing) ? sip.outgoing : {};
  return {
    callId,
    outdialCallId: str(metadata.call_id),
    created: str(call.created),
    joined: str(call.joined),
    ended: str(call.ended),
    endReason: str(call.endReason),
    terminationReason: str(sipDetails.terminationReason),
    billedDurationSeconds: parseUltravoxDuration(call.billedDuration ?? sipDetails.billedDuration),
    summary: str(call.shortSummary) ?? str(call.summary),
    toNumber: numberFromSipUri(str(outgoing.to)),
  };
}

/**
 * Facts a call object tells. Keys depend only on the Ultravox call id, so call.ended, call.billed
 * and a poll of the same call give the same facts whatever the order they arrive in.
 */
export function ultravoxCallFacts(call: UltravoxCall): CallFact[] {
  const id = call.callId;
  const facts: CallFact[] = [];
  if (call.joined) facts.push({ kind: 'answered', key: `ultravox:answered:${id}`, at: call.joined });
  if (!call.ended) return facts;
  const startedAt = call.joined ?? call.created;
  const talked =
    call.joined === undefined
      ? undefined
      : Math.max(0, (Date.parse(call.ended) - Date.parse(call.joined)) / 1000);
  if (call.terminationReason) {
    facts.push({
      kind: 'sip_termination',
      key: `ultravox:sip:${id}`,
      at: call.ended,
      terminationReason: call.terminationReason,
    });
  }
  facts.push({
    kind: 'ended',
    key: `ultravox:ended:${id}`,
    at: call.ended,
    provider: 'ultravox',
    ...(call.endReason === undefined ? {} : { endReason: call.endReason }),
    ...(talked === undefined || Number.isNaN(talked) ? {} : { durationSeconds: talked }),
    ...(startedAt === undefined ? {} : { startedAt }),
  });
  if (call.billedDurationSeconds !== undefined) {
    facts.push({
      kind: 'post_call_data',
      key: `ultravox:post_call:${id}`,
      at: call.ended,
      durationSeconds: call.billedDurationSeconds,
      ...(call.summary === undefined ? {} : { summary: call.summary }),
    });
  }
  return facts;
}

/** Facts of one webhook: call.started is the leg being rung; every event carries the call's state. */
export function ultravoxEventFacts(event: string, call: UltravoxCall): CallFact[] {
  const ringing: CallFact[] =
    event === 'call.started' && call.created
      ? [{ kind: 'ringing', key: `ultravox:ringing:${call.callId}`, at: call.created }]
      : [];
  return [...ringing, ...ultravoxCallFacts(call)];
}
