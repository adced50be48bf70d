import fc from 'fast-check';
import {
  callTransferredFact,
  parseCallTransferred,
  parseTransferProgress,
  transferProgressFact,
} from '../../activities/providers/asterisk/mapping';
import { conversationFacts, conversationFromWire } from '../../activities/providers/elevenlabs/mapping';
import { ultravoxCallFacts, ultravoxCallFromWire } from '../../activities/providers/ultravox/mapping';
import type { CallFact } from '../../domain/call-facts';
import type { Provider } from '../../domain/vocabulary';

/**
 * One call whose person asked for an agent, with the facts its provider's webhooks really produce
 * (read through the adapters' own mappings) and the workflow's own transfer reports.
 */
export interface TransferStory {
  facts: CallFact[];
  /** The human picked up: the call must come out transferred. */
  humanAnswered: boolean;
  /** The human leg's talk time as the provider reported it; null where it reports none. */
  humanSeconds: number | null;
  /** The transfer ended without a human: the campaign's callback. */
  gaveUp: boolean;
}

const TO = '+905551112233';
const PHONE = '+905321002030';
const CALL_ID = '6f1c1c52-5a0e-4c1e-9a51-0f9d3c7e2b11';
const T0 = Date.parse('2026-12-08T09:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const secondArb = fc.integer({ min: 20, max: 90 });

/** The person asked for an agent; the workflow recorded the request. */
function conversation(provider: Provider, requestedAt: number): CallFact[] {
  return [
    { kind: 'dial_accepted', key: 'dial', at: at(0), provider, providerCallId: 'p-1' },
    { kind: 'label', key: 'label:turn-2', at: at(requestedAt), label: 'ASK_AGENT' },
    { kind: 'transfer', key: 'transfer:requested:turn-2', at: at(requestedAt), stage: 'requested', to: TO },
  ];
}

/** What Dial() of the human ends with, as `outdial-transfer` posts it (infra/asterisk/extensions.conf). */
const dialEndArb = fc.constantFrom(
  { status: 'ANSWER', cause: '16' },
  { status: 'BUSY', cause: '17' },
  { status: 'NOANSWER', cause: '19' },
  { status: 'CHANUNAVAIL', cause: '3' },
  { status: 'CONGESTION', cause: '34' },
  { status: 'CANCEL', cause: '0' },
);

/** ARI: the workflow's originate of the human leg, then the dialplan's transfer-progress, if any yet. */
const asteriskArb: fc.Arbitrary<TransferStory> = fc
  .record({
    requestedAt: secondArb,
    originated: fc.boolean(),
    dialEnd: fc.option(dialEndArb, { nil: undefined }),
    humanSeconds: fc.integer({ min: 1, max: 900 }),
    reportAt: fc.integer({ min: 0, max: 60 }),
  })
  .map(({ requestedAt, originated, dialEnd, humanSeconds, reportAt }) => {
    const facts = conversation('asterisk', requestedAt);
    facts.push({ kind: 'ended', key: 'ended', at: at(requestedAt + 120), provider: 'asterisk' });
    if (!originated) {
      facts.push({
        kind: 'transfer',
        key: 'transfer:not-started',
        at: at(requestedAt + 1),
        stage: 'failed',
        to: TO,
        cause: 'ARI transfer originate: 503',
      });
      return { facts, humanAnswered: false, humanSeconds: null, gaveUp: true };
    }
    facts.push({
      kind: 'transfer',
      key: 'transfer:ringing',
      at: at(requestedAt + 1),
      stage: 'ringing',
      to: TO,
    });
    if (!dialEnd) return { facts, humanAnswered: false, humanSeconds: null, gaveUp: false };
    const answered = dialEnd.status === 'ANSWER';
    const payload = parseTransferProgress({
      uuid: CALL_ID,
      target: TO.slice(1),
      status: dialEnd.status,
      cause: dialEnd.cause,
      seconds: answered ? String(humanSeconds) : '',
    });
    if (!payload) throw new Error('the dialplan body did not parse');
    facts.push(transferProgressFact(payload, at(requestedAt + reportAt)));
    return {
      facts,
      humanAnswered: answered,
      humanSeconds: answered ? humanSeconds : null,
      gaveUp: !answered,
    };
  });

/** ElevenLabs: the post-call webhook's transcript carries the transfer_to_number tool's result. */
const elevenLabsArb: fc.Arbitrary<TransferStory> = fc
  .record({
    requestedAt: secondArb,
    result: fc.constantFrom(
      'transfer_to_number_sip_success',
      'transfer_to_number_twilio_success',
      'transfer_to_number_error',
      'none',
    ),
    duration: fc.integer({ min: 30, max: 300 }),
  })
  .map(({ requestedAt, result, duration }) => {
    const toolResults =
      result === 'none'
        ? []
        : [
            {
              tool_name: 'transfer_to_number',
              result: {
                result_type: result,
                transfer_number: TO,
                ...(result === 'transfer_to_number_error' ? { error: 'Transfer failed: BUSY' } : {}),
              },
            },
          ];
    const post = conversationFacts(
      conversationFromWire({
        conversation_id: 'conv_1',
        status: 'done',
        metadata: { start_time_unix_secs: T0 / 1000, call_duration_secs: duration },
        transcript: [
          { role: 'user', message: 'temsilci', time_in_call_secs: requestedAt },
          { role: 'agent', message: '', tool_results: toolResults },
        ],
      }),
    );
    const facts = [...conversation('elevenlabs', requestedAt), ...post];
    const answered = result.endsWith('_success');
    // ElevenLabs leaves the call once the human is on it: nothing reports the human leg's length.
    return {
      facts,
      humanAnswered: answered,
      humanSeconds: null,
      gaveUp: result === 'transfer_to_number_error',
    };
  });

/**
 * Ultravox: coldTransfer REFERs the leg to Asterisk and Ultravox's call ends; `ultravox-transfer`
 * reports by phone: call-transferred when the human answers, transfer-progress when the Dial() ends.
 */
const ultravoxArb: fc.Arbitrary<TransferStory> = fc
  .record({
    requestedAt: secondArb,
    dialEnd: fc.option(dialEndArb, { nil: undefined }),
    // The Dial() of an answered human has not ended yet: only the answer is known.
    humanStillTalking: fc.boolean(),
    humanSeconds: fc.integer({ min: 1, max: 900 }),
    reportAt: fc.integer({ min: -5, max: 90 }),
  })
  .map(({ requestedAt, dialEnd, humanStillTalking, humanSeconds, reportAt }) => {
    const call = ultravoxCallFromWire({
      callId: 'uv-1',
      created: at(0),
      joined: at(5),
      ended: at(requestedAt + 3),
      endReason: 'hangup',
      billedDuration: `${requestedAt}s`,
    });
    if (!call) throw new Error('the Ultravox call did not parse');
    const facts = [...conversation('ultravox', requestedAt), ...ultravoxCallFacts(call)];
    if (!dialEnd) return { facts, humanAnswered: false, humanSeconds: null, gaveUp: false };
    const answered = dialEnd.status === 'ANSWER';
    if (answered) {
      const confirmation = parseCallTransferred({ phone: PHONE, target: TO, source: 'ultravox' });
      if (!confirmation) throw new Error('the dialplan body did not parse');
      facts.push(callTransferredFact(confirmation, at(requestedAt + 3 + reportAt)));
      if (humanStillTalking) return { facts, humanAnswered: true, humanSeconds: null, gaveUp: false };
    }
    const progress = parseTransferProgress({
      phone: PHONE,
      target: TO,
      status: dialEnd.status,
      cause: dialEnd.cause,
      seconds: answered ? String(humanSeconds) : '',
    });
    if (!progress) throw new Error('the dialplan body did not parse');
    facts.push(
      transferProgressFact(progress, at(requestedAt + 3 + reportAt + (answered ? humanSeconds : 0))),
    );
    return {
      facts,
      humanAnswered: answered,
      humanSeconds: answered ? humanSeconds : null,
      gaveUp: !answered,
    };
  });

export function transferStoriesArb(provider: Provider): fc.Arbitrary<TransferStory> {
  switch (provider) {
    case 'asterisk':
      return asteriskArb;
    case 'elevenlabs':
      return elevenLabsArb;
    case 'ultravox':
      return ultravoxArb;
  }
}
