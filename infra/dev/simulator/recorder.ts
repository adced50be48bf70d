import type { ScenarioName } from './scenarios';

export type SimProvider = 'elevenlabs' | 'ultravox' | 'asterisk';

/** One HTTP request the simulator received. `at` is epoch milliseconds. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON when the body was JSON, the text otherwise, undefined when empty. */
  body: unknown;
  at: number;
}

/** One dial request a provider received, whatever happened to it. Times are epoch milliseconds. */
export interface RecordedDial {
  provider: SimProvider;
  /** Our id, from `dynamic_variables.call_id`, Ultravox `metadata.call_id` or ARI `VOICEAI_UUID`. */
  callId: string | undefined;
  toNumber: string;
  /** Undefined when the dial was refused (4xx): no call exists. */
  providerCallId: string | undefined;
  scenario: ScenarioName;
  /** `twilio` or `sip_trunk` for ElevenLabs. */
  telephony?: 'twilio' | 'sip_trunk';
  startedAt: number;
  endedAt: number | undefined;
  /** The number the agent transferred the person to (ElevenLabs transfer_to_number, Ultravox coldTransfer). */
  transferredTo?: string;
  /** What the AI said when the transfer it held the person for failed. */
  transferFailedLine?: string;
  /** The prompt Asterisk played the person when the human leg of an Ultravox coldTransfer failed. */
  transferFailedPrompt?: string;
}

/** One webhook the simulator delivered (or tried to). */
export interface RecordedWebhook {
  provider: SimProvider;
  event: string;
  /** Where the last attempt went (with several webhook targets, the API that answered it). */
  url: string;
  headers: Record<string, string>;
  body: string;
  callId: string | undefined;
  providerCallId: string;
  /** HTTP status of the last attempt; undefined when every attempt failed at the network level. */
  status: number | undefined;
  responseBody: string | undefined;
  error: string | undefined;
  attempts: number;
  /** When the first attempt was sent. */
  sentAt: number;
  /** When the last attempt finished. */
  at: number;
}

export class Recorder {
  readonly requests: RecordedRequest[] = [];
  readonly webhooks: RecordedWebhook[] = [];
  private readonly dialList: RecordedDial[] = [];
  private live = 0;
  private maxLive = 0;

  recordRequest(request: RecordedRequest): void {
    this.requests.push(request);
  }

  recordDial(dial: RecordedDial): RecordedDial {
    this.dialList.push(dial);
    return dial;
  }

  recordWebhook(webhook: RecordedWebhook): void {
    this.webhooks.push(webhook);
  }

  callStarted(): void {
    this.live += 1;
    this.maxLive = Math.max(this.maxLive, this.live);
  }

  callEnded(dial: RecordedDial, at: number): void {
    if (dial.endedAt !== undefined) return;
    dial.endedAt = at;
    this.live -= 1;
  }

  dials(): RecordedDial[] {
    return [...this.dialList];
  }

  liveCalls(): number {
    return this.live;
  }

  maxConcurrentCalls(): number {
    return this.maxLive;
  }
}
