import { describe, expect, it } from 'vitest';
import { conversationFacts, conversationFromWire } from '../../activities/providers/elevenlabs/mapping';
import { reduceCall } from '../../domain/outcome-reducer';

/** A post_call_transcription `data` whose agent called transfer_to_number with the given result. */
function transferConversation(result: Record<string, unknown>, isError = false) {
  return {
    conversation_id: 'conv_transfer',
    status: 'done',
    metadata: { start_time_unix_secs: 1_795_000_000, call_duration_secs: 30, termination_reason: 'x' },
    transcript: [
      { role: 'agent', message: 'Merhaba', time_in_call_secs: 0 },
      { role: 'user', message: 'temsilci', time_in_call_secs: 4 },
      {
        role: 'agent',
        message: '',
        time_in_call_secs: 8,
        tool_calls: [{ type: 'system', tool_name: 'transfer_to_number', request_id: 'r1' }],
        tool_results: [
          { type: 'system', tool_name: 'transfer_to_number', request_id: 'r1', is_error: isError, result },
        ],
      },
    ],
  };
}

const transferFacts = (data: Record<string, unknown>) =>
  conversationFacts(conversationFromWire(data)).filter((f) => f.kind === 'transferred');

describe('ElevenLabs post-call mapping: transfers', () => {
  it.each(['transfer_to_number_twilio_success', 'transfer_to_number_sip_success'])(
    'a %s result is a transfer to its number',
    (resultType) => {
      const facts = transferFacts(
        transferConversation({
          result_type: resultType,
          status: 'success',
          transfer_number: '+905551112233',
        }),
      );
      expect(facts).toEqual([
        // At the end of the call: start plus duration.
        { kind: 'transferred', key: 'transferred', at: '2026-11-18T11:07:10.000Z', to: '+905551112233' },
      ]);
    },
  );

  it('a failed transfer, or none at all, is no transfer', () => {
    const failed = transferConversation(
      { result_type: 'transfer_to_number_error', status: 'error', error: 'busy' },
      true,
    );
    expect(transferFacts(failed)).toEqual([]);
    const plain = transferConversation({});
    plain.transcript.pop();
    expect(transferFacts(plain)).toEqual([]);
  });
});

describe('ElevenLabs: a polled conversation that failed before it was answered', () => {
  const failed = (terminationReason: string) =>
    reduceCall(
      conversationFacts(
        conversationFromWire({
          conversation_id: 'conv_failed',
          status: 'failed',
          metadata: {
            start_time_unix_secs: 1_795_000_000,
            call_duration_secs: 0,
            termination_reason: terminationReason,
          },
          transcript: [{ role: 'agent', message: 'Merhaba', time_in_call_secs: 0 }],
        }),
      ),
    );

  // Found by the fault suite: the call_initiation_failure webhook late behind a Temporal restart,
  // the poll came first and a busy number ended as a success.
  it.each([
    ['Call failed: busy', 'busy', 'busy'],
    ['Call failed: no-answer', 'no_answer', 'no_answer'],
    ['Call failed: unknown', 'failed', 'failed'],
  ])('"%s" is a failed dial, as the webhook would say', (reason, status, outcome) => {
    expect(failed(reason)).toMatchObject({ status, outcome, final: true });
  });
});
