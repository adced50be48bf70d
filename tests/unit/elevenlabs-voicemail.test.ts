import { describe, expect, it } from 'vitest';
import { conversationFacts, conversationFromWire } from '../../activities/providers/elevenlabs/mapping';

type Turn = Record<string, unknown>;

/** The voicemail_detection system tool's call and result, as the post-call transcript reports them. */
const voicemailToolTurn = (toolName = 'voicemail_detection'): Turn => ({
  role: 'agent',
  message: '',
  time_in_call_secs: 6,
  tool_calls: [
    {
      type: 'system',
      request_id: 'r1',
      tool_name: toolName,
      params_as_json: '{"reason":"Voicemail greeting detected"}',
      tool_has_been_called: true,
    },
  ],
  tool_results: [
    {
      type: 'system',
      request_id: 'r1',
      tool_name: toolName,
      result_value: '{"result_type":"voicemail_detection_success","status":"success"}',
      is_error: false,
      tool_has_been_called: true,
      result: { result_type: 'voicemail_detection_success', status: 'success' },
    },
  ],
});

const endCallTurn: Turn = {
  role: 'agent',
  message: 'İyi günler',
  time_in_call_secs: 6,
  tool_calls: [{ type: 'system', request_id: 'r2', tool_name: 'end_call', params_as_json: '{}' }],
  tool_results: [
    {
      type: 'system',
      request_id: 'r2',
      tool_name: 'end_call',
      is_error: false,
      result: { result_type: 'end_call_success', status: 'success' },
    },
  ],
};

function voicemailDetected(terminationReason: string, extraTurns: Turn[]): boolean | undefined {
  const facts = conversationFacts(
    conversationFromWire({
      conversation_id: 'conv_vm',
      status: 'done',
      metadata: {
        start_time_unix_secs: 1_795_000_000,
        call_duration_secs: 8,
        termination_reason: terminationReason,
      },
      transcript: [
        { role: 'agent', message: 'Merhaba', time_in_call_secs: 0 },
        { role: 'user', message: 'Lütfen mesajınızı bırakın.', time_in_call_secs: 3 },
        ...extraTurns,
      ],
    }),
  );
  const ended = facts.find((f) => f.kind === 'ended');
  return ended?.kind === 'ended' ? ended.voicemailDetected : undefined;
}

describe('ElevenLabs post-call mapping: voicemail', () => {
  it("the agent's voicemail_detection tool call is voicemail, whatever the termination reason", () => {
    // The mailbox hung up while the agent left its message: the reason does not name the tool.
    expect(voicemailDetected('Client disconnected: 1000', [voicemailToolTurn()])).toBe(true);
  });

  it('a voicemail_detection result counts under another tool name, and the bare call without a result', () => {
    const renamed = voicemailToolTurn('detect_answering_machine');
    expect(voicemailDetected('Call ended by remote party', [renamed])).toBe(true);
    const callOnly = { ...voicemailToolTurn(), tool_results: [] };
    expect(voicemailDetected('Call ended by remote party', [callOnly])).toBe(true);
  });

  it('no voicemail tool call and an unrelated reason is not voicemail', () => {
    expect(voicemailDetected('end_call tool was called.', [endCallTurn])).toBe(false);
    expect(voicemailDetected('Call ended by remote party', [])).toBe(false);
  });

  it('the termination reason alone is voicemail', () => {
    expect(voicemailDetected('voicemail_detection tool was called.', [])).toBe(true);
  });
});
