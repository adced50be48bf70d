import type { CallFact, TransferStage } from '../../../domain/call-facts';
import { AMD_STATUSES, type AmdStatus } from '../../../domain/vocabulary';
import { isRecord, str } from '../http';

/** Seed 001 §7.1 `amd-result` body: `uuid` (our VOICEAI_UUID) or, for bridged legs, only `phone`. */
export interface AmdResultPayload {
  uuid?: string;
  phone?: string;
  status: AmdStatus;
  cause?: string;
  source?: string;
}

/** Seed 001 §7.2 `call-failed` body: the DIALSTATUS and HANGUPCAUSE of a failed originate. */
export interface CallFailedPayload {
  uuid: string;
  status: string;
  cause?: string;
}

/**
 * The `call-transferred` body of the `ultravox-transfer` context: Ultravox's coldTransfer tool sent a
 * REFER, and Asterisk is putting the person (known by the number, as for AMD) through to `target`.
 */
export interface CallTransferredPayload {
  uuid?: string;
  phone?: string;
  target: string;
  source?: string;
}

/**
 * The `transfer-progress` body of `outdial-transfer` (an ARI call, named by `uuid`) and of
 * `ultravox-transfer` (an Ultravox leg, named by `phone` as for AMD): how the Dial() of the human
 * ended (DIALSTATUS, Q.850 HANGUPCAUSE, ANSWEREDTIME in seconds).
 */
export interface TransferProgressPayload {
  uuid?: string;
  phone?: string;
  target: string;
  status: string;
  cause?: string;
  seconds?: number;
}

function optionalString(value: unknown): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value.trim() : null;
}

/** Null when the body is not an AMD result (no way to find the call, or an unknown status). */
export function parseAmdResult(body: unknown): AmdResultPayload | null {
  if (!isRecord(body)) return null;
  const uuid = optionalString(body.uuid);
  const phone = optionalString(body.phone);
  const cause = optionalString(body.cause);
  const source = optionalString(body.source);
  if (uuid === null || phone === null || cause === null || source === null) return null;
  if (!uuid && !phone) return null;
  const status = typeof body.status === 'string' ? body.status.trim().toUpperCase() : '';
  if (!(AMD_STATUSES as readonly string[]).includes(status)) return null;
  return {
    ...(uuid ? { uuid } : {}),
    ...(phone ? { phone } : {}),
    status: status as AmdStatus,
    ...(cause ? { cause } : {}),
    ...(source ? { source } : {}),
  };
}

export function parseCallFailed(body: unknown): CallFailedPayload | null {
  if (!isRecord(body)) return null;
  const uuid = str(body.uuid);
  const status = typeof body.status === 'string' ? body.status.trim().toUpperCase() : '';
  const cause = optionalString(body.cause);
  if (!uuid || !/^[A-Z_]{2,32}$/.test(status) || cause === null) return null;
  return { uuid, status, ...(cause ? { cause } : {}) };
}

/** Null unless the body names the call (uuid or phone) and a dialable target. */
export function parseCallTransferred(body: unknown): CallTransferredPayload | null {
  if (!isRecord(body)) return null;
  const uuid = optionalString(body.uuid);
  const phone = optionalString(body.phone);
  const source = optionalString(body.source);
  const target = typeof body.target === 'string' ? dialplanNumberToE164(body.target) : undefined;
  if (uuid === null || phone === null || source === null || !target) return null;
  if (!uuid && !phone) return null;
  return { ...(uuid ? { uuid } : {}), ...(phone ? { phone } : {}), target, ...(source ? { source } : {}) };
}

export function parseTransferProgress(body: unknown): TransferProgressPayload | null {
  if (!isRecord(body)) return null;
  const uuid = optionalString(body.uuid);
  const rawPhone = optionalString(body.phone);
  const phone = rawPhone ? dialplanNumberToE164(rawPhone) : undefined;
  const target = typeof body.target === 'string' ? dialplanNumberToE164(body.target) : undefined;
  const status = typeof body.status === 'string' ? body.status.trim().toUpperCase() : '';
  const cause = optionalString(body.cause);
  const seconds = optionalString(body.seconds);
  if (uuid === null || rawPhone === null || (rawPhone && !phone) || (!uuid && !phone)) return null;
  if (!target || !/^[A-Z_]{2,32}$/.test(status) || cause === null || seconds === null) return null;
  if (seconds && !/^\d{1,6}$/.test(seconds)) return null;
  return {
    ...(uuid ? { uuid } : {}),
    ...(phone ? { phone } : {}),
    target,
    status,
    ...(cause ? { cause } : {}),
    ...(seconds ? { seconds: Number(seconds) } : {}),
  };
}

/** The stable inbox keys of the Asterisk webhooks. */
export function amdEventKey(payload: AmdResultPayload): string {
  return `amd:${payload.uuid ?? payload.phone}:${payload.status}:${payload.cause ?? ''}`;
}

export function callFailedEventKey(payload: CallFailedPayload): string {
  return `call-failed:${payload.uuid}:${payload.status}`;
}

export function callTransferredEventKey(payload: CallTransferredPayload): string {
  return `call-transferred:${payload.uuid ?? payload.phone}:${payload.target}`;
}

export function amdFact(payload: AmdResultPayload, at: string): CallFact {
  return {
    kind: 'amd',
    key: amdEventKey(payload),
    at,
    status: payload.status,
    ...(payload.cause ? { cause: payload.cause } : {}),
  };
}

export function callFailedFact(payload: CallFailedPayload, at: string): CallFact {
  return {
    kind: 'sip_termination',
    key: callFailedEventKey(payload),
    at,
    dialStatus: payload.status,
    ...(payload.cause ? { cause: payload.cause } : {}),
  };
}

export function transferProgressEventKey(payload: TransferProgressPayload): string {
  return `transfer-progress:${payload.uuid ?? payload.phone ?? ''}:${payload.status}`;
}

/** Dial()'s DIALSTATUS for the human leg as the transfer's stage; CANCEL, CONGESTION and the rest failed. */
const TRANSFER_STAGE_OF_DIALSTATUS: Record<string, TransferStage> = {
  ANSWER: 'answered',
  BUSY: 'busy',
  NOANSWER: 'no_answer',
};

export function transferProgressFact(payload: TransferProgressPayload, at: string): CallFact {
  const stage = TRANSFER_STAGE_OF_DIALSTATUS[payload.status] ?? 'failed';
  return {
    kind: 'transfer',
    key: transferProgressEventKey(payload),
    at,
    stage,
    to: payload.target,
    ...(payload.cause ? { cause: payload.cause } : {}),
    ...(stage === 'answered' && payload.seconds !== undefined ? { humanSeconds: payload.seconds } : {}),
  };
}

/** Keyed as the ElevenLabs transfer is: a call is transferred once, whoever reports it. */
export function callTransferredFact(payload: CallTransferredPayload, at: string): CallFact {
  return { kind: 'transferred', key: 'transferred', at, to: payload.target };
}

/**
 * A number as Asterisk writes it (`+49155…`, `0049155…`, `49155…`) in E.164. The dialplan always
 * sends international numbers (seed 001 §6.1), so a bare digit string is read as one.
 */
export function dialplanNumberToE164(phone: string): string | undefined {
  const compact = phone.replace(/[\s().-]/g, '');
  const digits = compact.replace(/^\+/, '').replace(/^00/, '');
  if (!/^\d{6,15}$/.test(digits)) return undefined;
  return `+${digits}`;
}

/**
 * What a live ARI channel says. `Up` is an answered leg; an ARI channel that no longer exists has
 * ended (failures arrive separately as call-failed, AMD as amd-result).
 */
export function channelFacts(channelId: string, channel: unknown, nowIso: string): CallFact[] {
  if (channel === undefined) {
    return [{ kind: 'ended', key: `asterisk:ended:${channelId}`, at: nowIso, provider: 'asterisk' }];
  }
  if (isRecord(channel) && channel.state === 'Up') {
    return [
      { kind: 'answered', key: `asterisk:answered:${channelId}`, at: str(channel.creationtime) ?? nowIso },
    ];
  }
  if (isRecord(channel) && (channel.state === 'Ring' || channel.state === 'Ringing')) {
    return [
      { kind: 'ringing', key: `asterisk:ringing:${channelId}`, at: str(channel.creationtime) ?? nowIso },
    ];
  }
  return [];
}
