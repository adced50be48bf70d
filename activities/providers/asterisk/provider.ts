import type { AriClient } from './ari-client';
import { contactChannelVariables } from './channel-variables';
import { channelFacts } from './mapping';
import { classifyDialFailure, ProviderHttpError } from '../http';
import {
  DialOutcomeUnknownError,
  type PlaceCallRequest,
  type PlaceCallResult,
  type ProviderCallSnapshot,
  type VoiceProvider,
} from '../provider';

/** The dialplan context that dials the trunk and reports a dial that fails (`infra/asterisk/extensions.conf`). */
const DIAL_CONTEXT = 'outdial-dial';
/** The contexts that dial the human (and report the dial's end) and bridge the person to them. */
const TRANSFER_DIAL_CONTEXT = 'outdial-transfer';
const TRANSFER_BRIDGE_CONTEXT = 'outdial-transfer-bridge';
/** How long the human's phone rings before the transfer counts as unanswered. */
const TRANSFER_RING_SECONDS = 60;

export interface AsteriskSettings {
  /** PJSIP endpoint of the SIP trunk, which the `outdial-dial` dialplan dials (`PJSIP/<number>@<trunk>`). */
  trunk: string;
  callerId?: string;
}

/**
 * ARI originate into the `ai-outbound` dialplan (seed 001 §5.1, §6.3), which runs AMD then the AI
 * bridge. The originated channel is a Local one whose other half dials the trunk in `outdial-dial`:
 * a direct PJSIP originate that fails runs no dialplan, so nothing would report the busy line or the
 * ring-out (call-failed, seed 001 §7.2). `/n` keeps the Local channel in place, so our channel id
 * names the call's leg to the end.
 */
export class AsteriskProvider implements VoiceProvider {
  readonly name = 'asterisk' as const;

  constructor(
    private readonly ari: AriClient,
    private readonly settings: AsteriskSettings,
  ) {}

  async placeCall(request: PlaceCallRequest): Promise<PlaceCallResult> {
    // The channel id is our call id: a repeated originate is refused (409) instead of ringing twice,
    // and a dial whose answer was lost can still be looked up.
    const params: Record<string, string> = {
      endpoint: `Local/${request.toNumber.replace(/^\+/, '')}@${DIAL_CONTEXT}/n`,
      context: 'ai-outbound',
      extension: 's',
      priority: '1',
      timeout: String(request.ringingTimeoutSeconds),
      channelId: request.callId,
      ...(this.settings.callerId ? { callerId: this.settings.callerId } : {}),
    };
    const variables = {
      ...contactChannelVariables(request.variables),
      // `_`: inherited by the Local channel's dialling half, whose dialplan reports a failed dial.
      _VOICEAI_UUID: request.callId,
      _SIP_TRUNK: this.settings.trunk,
      FIRST_MESSAGE: request.firstMessage,
      LANGUAGE: request.language,
    };
    let result;
    try {
      result = await this.ari.originate(params, variables);
    } catch (error) {
      throw classifyDialFailure('Asterisk', error);
    }
    if (result.status === 409) {
      throw new DialOutcomeUnknownError(
        `a channel ${request.callId} already exists: the dial was sent before`,
      );
    }
    if (result.status !== 200) throw classifyDialFailure('Asterisk', result);
    return { providerCallId: request.callId };
  }

  /**
   * A blind transfer as a real Asterisk 20 performs it without a Stasis application:
   * `POST /channels` (originate) of `Local/<number>@outdial-transfer/n` into
   * `outdial-transfer-bridge`. The Local channel's dialling half Dial()s the human and posts the
   * Dial's DIALSTATUS, HANGUPCAUSE and ANSWEREDTIME to transfer-progress; once the human answers,
   * the other half runs `Bridge(<call id>)`, which takes the person's channel (its unique id is our
   * call id) out of the AI's bridge into one with the human. ARI's own controls
   * (`/channels/{id}/continue`, `/redirect`, `/variable`, `/bridges/{id}/addChannel`) answer 409 or
   * 422 for a channel outside Stasis, and Outdial's calls never enter one. Fixed channel ids make a
   * repeated request a 409 instead of a second ringing phone.
   */
  async transfer(ref: { providerCallId: string; to: string }): Promise<void> {
    const params: Record<string, string> = {
      endpoint: `Local/${ref.to.replace(/^\+/, '')}@${TRANSFER_DIAL_CONTEXT}/n`,
      context: TRANSFER_BRIDGE_CONTEXT,
      extension: 's',
      priority: '1',
      timeout: String(TRANSFER_RING_SECONDS),
      channelId: `${ref.providerCallId}-transfer`,
      otherChannelId: `${ref.providerCallId}-transfer-dial`,
      ...(this.settings.callerId ? { callerId: this.settings.callerId } : {}),
    };
    // `_`: the dialling half reports the transfer of this call.
    const result = await this.ari.originate(params, {
      _OUTDIAL_TRANSFER_OF: ref.providerCallId,
      _SIP_TRUNK: this.settings.trunk,
    });
    if (result.status === 200 || result.status === 409) return;
    throw new ProviderHttpError(result.status, result.text, 'ARI transfer originate');
  }

  async hangUp(providerCallId: string): Promise<void> {
    await this.ari.deleteChannel(providerCallId);
  }

  /**
   * A live channel is found; a missing one is either over (we know we placed it) or never existed.
   * ARI forgets ended channels, so the end time is the time we noticed.
   */
  async fetchCall(ref: { providerCallId?: string; callId: string }): Promise<ProviderCallSnapshot> {
    const channelId = ref.providerCallId ?? ref.callId;
    const result = await this.ari.getChannel(channelId);
    const now = new Date().toISOString();
    if (result.status === 404) {
      if (!ref.providerCallId) return { found: false, final: false, facts: [] };
      return { found: true, final: true, facts: channelFacts(channelId, undefined, now) };
    }
    if (result.status !== 200) throw new ProviderHttpError(result.status, result.text, 'ARI channel lookup');
    return {
      found: true,
      final: false,
      facts: [
        {
          kind: 'dial_accepted',
          key: `dial_accepted:${ref.callId}`,
          at: now,
          provider: 'asterisk',
          providerCallId: channelId,
        },
        ...channelFacts(channelId, result.body, now),
      ],
    };
  }
}
