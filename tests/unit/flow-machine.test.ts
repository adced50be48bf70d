import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import type { FlowInput } from '../../domain/flow.machine';
import { MAX_REASKS, flowMachine } from '../../domain/flow.machine';
import type { FlowSnapshot, FlowTurnInput, FlowTurnResult } from '../../domain/flow-runner';
import {
  TOOL_ALLOWLIST,
  flowStatus,
  hangUpFlow,
  isAllowedTool,
  runTurn,
  startFlow,
} from '../../domain/flow-runner';
import { MissingTemplateVariableError } from '../../domain/flows';

const BILLING_TR: FlowInput = {
  callType: 'BILLING_REMINDER',
  language: 'tr',
  variables: { name: 'Ayşe', amount: '250 TL', due_date: '15 Mart' },
};

const APPOINTMENT_EN: FlowInput = {
  callType: 'APPOINTMENT_REMINDER',
  language: 'en',
  variables: { name: 'John', appointment_time: 'Monday 10:00' },
};

/** Runs turns in order, as the workflow would, passing each snapshot through JSON like a history does. */
function converse(input: FlowInput, turns: readonly FlowTurnInput[]): FlowTurnResult[] {
  let snapshot = startFlow(input).snapshot;
  return turns.map((turn) => {
    const result = runTurn(JSON.parse(JSON.stringify(snapshot)) as FlowSnapshot, turn);
    snapshot = result.snapshot;
    return result;
  });
}

function last<T>(items: readonly T[]): T {
  const item = items[items.length - 1];
  if (item === undefined) throw new Error('empty');
  return item;
}

describe('startFlow', () => {
  it('says the opening with the question and waits for an answer', () => {
    const start = startFlow(BILLING_TR);
    expect(start.say).toBe(
      'Merhaba Ayşe, ödeme hatırlatması için arıyorum. 250 TL tutarındaki faturanızın son ödeme tarihi 15 Mart. Ödemenizi bu tarihe kadar yapabilecek misiniz?',
    );
    expect(start.actions).toEqual([]);
    expect(start.snapshot).toMatchObject({ version: 1, value: 'listening', status: 'active' });
    expect(start.snapshot.context).toMatchObject({ label: null, reaskCount: 0 });
    expect(flowStatus(start.snapshot)).toBe('talking');
  });

  it('refuses a row with a missing variable before the call starts', () => {
    expect(() => startFlow({ ...BILLING_TR, variables: { name: 'Ayşe', amount: '250 TL' } })).toThrow(
      MissingTemplateVariableError,
    );
  });

  it('produces a plain JSON snapshot', () => {
    const { snapshot } = startFlow(BILLING_TR);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });
});

describe('whole conversations', () => {
  it('YES on the first try closes with thanks and logs the outcome', () => {
    const [turn] = converse(BILLING_TR, [{ utterance: 'Evet, öderim' }]);
    expect(turn).toMatchObject({
      label: 'YES',
      endCall: true,
      say: 'Teşekkür ederim Ayşe, ödemenizi not aldım. İyi günler dilerim.',
      actions: [{ type: 'log_call_outcome', args: { label: 'YES', reaskCount: 0, hungUp: false } }],
    });
    expect(turn?.snapshot).toMatchObject({ value: 'done', status: 'done' });
    expect(flowStatus(turn!.snapshot)).toBe('completed');
  });

  it('UNKNOWN twice, then YES', () => {
    const turns = converse(APPOINTMENT_EN, [
      { utterance: 'hmm?' },
      { utterance: 'what?' },
      { utterance: 'yes' },
    ]);
    const reask =
      "Sorry, I didn't catch that. Will you be able to make your appointment on Monday 10:00? You can also press 1 for yes, 2 for no, 3 to be called later, or 4 to speak to an agent.";
    expect(turns.map((turn) => [turn.label, turn.endCall, turn.say])).toEqual([
      ['UNKNOWN', false, reask],
      ['UNKNOWN', false, reask],
      ['YES', true, 'Great, your appointment is confirmed, John. See you then, and have a nice day.'],
    ]);
    expect(turns[0]?.actions).toEqual([]);
    expect(turns[1]?.actions).toEqual([]);
    expect(last(turns).actions).toEqual([
      { type: 'log_call_outcome', args: { label: 'YES', reaskCount: 2, hungUp: false } },
    ]);
  });

  it('UNKNOWN three times closes without an answer and logs UNKNOWN', () => {
    const turns = converse(BILLING_TR, [{ utterance: 'efendim' }, { dtmf: '7' }, { utterance: 'hı?' }]);
    expect(MAX_REASKS).toBe(2);
    expect(turns.map((turn) => turn.endCall)).toEqual([false, false, true]);
    expect(last(turns)).toMatchObject({
      label: 'UNKNOWN',
      say: 'Sizi anlayamadığım için özür dilerim. Faturanızla ilgili sorularınız için müşteri hizmetlerimize ulaşabilirsiniz. İyi günler dilerim.',
      actions: [{ type: 'log_call_outcome', args: { label: 'UNKNOWN', reaskCount: 2, hungUp: false } }],
    });
    expect(last(turns).snapshot.context.label).toBe('UNKNOWN');
  });

  it('DONT_CALL asks for the do-not-call entry before logging', () => {
    const [turn] = converse(BILLING_TR, [{ utterance: 'Beni bir daha aramayın!' }]);
    expect(turn).toMatchObject({ label: 'DONT_CALL', endCall: true });
    expect(turn?.actions).toEqual([
      { type: 'set_do_not_call', args: { reason: 'caller_request' } },
      { type: 'log_call_outcome', args: { label: 'DONT_CALL', reaskCount: 0, hungUp: false } },
    ]);
  });

  it('DTMF 9 is DONT_CALL too', () => {
    const [turn] = converse(APPOINTMENT_EN, [{ dtmf: '9' }]);
    expect(turn?.actions.map((action) => action.type)).toEqual(['set_do_not_call', 'log_call_outcome']);
  });

  it('LATER schedules a follow-up at the time the person named', () => {
    const [tomorrow] = converse(BILLING_TR, [{ utterance: 'şimdi değil, yarın arayın' }]);
    expect(tomorrow).toMatchObject({ label: 'LATER', endCall: true });
    expect(tomorrow?.actions).toEqual([
      { type: 'schedule_followup', args: { afterMinutes: 1440 } },
      { type: 'log_call_outcome', args: { label: 'LATER', reaskCount: 0, hungUp: false } },
    ]);
    const [inTwoHours] = converse(APPOINTMENT_EN, [{ utterance: 'not now, call me back in 2 hours' }]);
    expect(inTwoHours?.actions[0]).toEqual({ type: 'schedule_followup', args: { afterMinutes: 120 } });
  });

  it('LATER without a time leaves the delay to the campaign default', () => {
    const [spoken] = converse(BILLING_TR, [{ utterance: 'daha sonra' }]);
    expect(spoken?.actions[0]).toEqual({ type: 'schedule_followup', args: { afterMinutes: null } });
    const [keyed] = converse(BILLING_TR, [{ dtmf: '3' }]);
    expect(keyed?.actions[0]).toEqual({ type: 'schedule_followup', args: { afterMinutes: null } });
  });

  it('ASK_AGENT without a transfer number asks for a callback', () => {
    const [turn] = converse(BILLING_TR, [{ utterance: 'temsilciyle görüşmek istiyorum' }]);
    expect(turn).toMatchObject({
      label: 'ASK_AGENT',
      endCall: true,
      say: 'Elbette, bir temsilcimiz sizi en kısa sürede arayacak. İyi günler dilerim.',
    });
    expect(turn?.actions).toEqual([
      { type: 'create_callback', args: { reason: 'caller_asked_for_agent' } },
      { type: 'log_call_outcome', args: { label: 'ASK_AGENT', reaskCount: 0, hungUp: false } },
    ]);
    expect(flowStatus(turn!.snapshot)).toBe('completed');
  });

  it('ASK_AGENT with a transfer number transfers the call', () => {
    const [turn] = converse({ ...APPOINTMENT_EN, transferNumber: '+902125550000' }, [{ dtmf: '4' }]);
    expect(turn).toMatchObject({
      label: 'ASK_AGENT',
      endCall: true,
      say: "Of course, I'm transferring you to an agent now. Please stay on the line.",
    });
    expect(turn?.actions).toEqual([
      { type: 'transfer_call', args: { to: '+902125550000' } },
      { type: 'log_call_outcome', args: { label: 'ASK_AGENT', reaskCount: 0, hungUp: false } },
    ]);
    expect(flowStatus(turn!.snapshot)).toBe('transferred');
  });

  it('an off-topic question goes to an agent', () => {
    const [turn] = converse(BILLING_TR, [{ utterance: 'siparişim ne zaman gelecek?' }]);
    expect(turn?.label).toBe('ASK_AGENT');
    expect(turn?.actions[0]?.type).toBe('create_callback');
  });

  it('NO closes politely and only logs', () => {
    const [turn] = converse(APPOINTMENT_EN, [{ utterance: "No, I can't make it" }]);
    expect(turn?.label).toBe('NO');
    expect(turn?.actions).toEqual([
      { type: 'log_call_outcome', args: { label: 'NO', reaskCount: 0, hungUp: false } },
    ]);
  });

  it('a DTMF key wins over an utterance sent with it', () => {
    const [turn] = converse(BILLING_TR, [{ utterance: 'evet', dtmf: '2' }]);
    expect(turn?.label).toBe('NO');
  });

  it('LLM_LABEL_ONLY: the model label is used, keywords cover a failed model', () => {
    const [model] = converse(BILLING_TR, [{ utterance: 'bakarız', llm: { ok: true, label: 'LATER' } }]);
    expect(model?.label).toBe('LATER');
    const [fallback] = converse(BILLING_TR, [{ utterance: 'evet', llm: { ok: false } }]);
    expect(fallback?.label).toBe('YES');
  });
});

describe('snapshots', () => {
  it('round-trip through JSON mid-conversation and continue identically', () => {
    const turns: FlowTurnInput[] = [
      { utterance: 'efendim?' },
      { utterance: 'hayır, şimdi değil, 2 saat sonra arayın' },
    ];
    const start = startFlow(BILLING_TR);
    const direct = runTurn(runTurn(start.snapshot, turns[0]!).snapshot, turns[1]!);

    const afterFirst = runTurn(start.snapshot, turns[0]!);
    const stored = JSON.stringify(afterFirst.snapshot);
    expect(JSON.parse(stored)).toMatchObject({ value: 'listening', context: { reaskCount: 1 } });
    const resumed = runTurn(JSON.parse(stored) as FlowSnapshot, turns[1]!);

    expect(resumed).toEqual(direct);
    expect(resumed.actions[0]).toEqual({ type: 'schedule_followup', args: { afterMinutes: 120 } });
  });

  it('keep the words the call started with', () => {
    const { snapshot } = startFlow(BILLING_TR);
    const edited = JSON.parse(JSON.stringify(snapshot)) as FlowSnapshot;
    edited.context.lines.closing.YES = 'Sağ olun.';
    expect(runTurn(edited, { dtmf: '1' }).say).toBe('Sağ olun.');
  });

  it('a turn after the end repeats the last line and acts no more', () => {
    const [done] = converse(BILLING_TR, [{ utterance: 'beni aramayın' }]);
    const again = runTurn(done!.snapshot, { utterance: 'evet' });
    expect(again).toEqual({
      snapshot: done!.snapshot,
      say: done!.say,
      label: 'DONT_CALL',
      endCall: true,
      actions: [],
    });
  });

  it('refuse an unknown version', () => {
    const { snapshot } = startFlow(BILLING_TR);
    expect(() => runTurn({ ...snapshot, version: 2 as 1 }, { dtmf: '1' })).toThrow(/version/);
  });
});

describe('hangUpFlow', () => {
  it('logs the outcome so far when the person hangs up mid-conversation', () => {
    const start = startFlow(BILLING_TR);
    const reasked = runTurn(start.snapshot, { utterance: 'hı?' });
    const hungUp = hangUpFlow(reasked.snapshot);
    expect(hungUp.actions).toEqual([
      { type: 'log_call_outcome', args: { label: 'UNKNOWN', reaskCount: 1, hungUp: true } },
    ]);
    expect(hungUp.snapshot).toMatchObject({ value: 'hungUp', status: 'done' });
    expect(hungUp.say).toBe('');
    expect(flowStatus(hungUp.snapshot)).toBe('completed');
  });

  it('does nothing once the flow has ended', () => {
    const [done] = converse(BILLING_TR, [{ utterance: 'evet' }]);
    expect(hangUpFlow(done!.snapshot)).toEqual({ snapshot: done!.snapshot, say: done!.say, actions: [] });
  });
});

describe('flowStatus', () => {
  it('maps every internal state and throws on an unknown one', () => {
    const states = Object.keys(flowMachine.root.states);
    expect(states.sort()).toEqual(
      ['action', 'closing', 'done', 'greeting', 'hungUp', 'listening', 'reasking', 'transferred'].sort(),
    );
    for (const value of states) expect(() => flowStatus({ value } as FlowSnapshot)).not.toThrow();
    expect(() => flowStatus({ value: 'ringing' } as unknown as FlowSnapshot)).toThrow(/Unknown flow state/);
  });
});

describe('the machine under XState pure transitions', () => {
  it('returns side effects as named actions with params, executing none', () => {
    const [start] = initialTransition(flowMachine, BILLING_TR);
    const [next, actions] = transition(flowMachine, start, {
      type: 'TURN',
      label: 'LATER',
      followupMinutes: 30,
    });
    expect(next.value).toBe('done');
    expect(
      actions.filter((action) => !action.type.startsWith('xstate.')).map((a) => [a.type, a.params]),
    ).toEqual(
      expect.arrayContaining([
        ['requestFollowup', { afterMinutes: 30 }],
        ['logOutcome', { label: 'LATER', reaskCount: 0, hungUp: false }],
      ]),
    );
  });
});

describe('tool allowlist', () => {
  it('allows exactly the four V1 tools', () => {
    expect([...TOOL_ALLOWLIST].sort()).toEqual(
      ['create_callback', 'log_call_outcome', 'schedule_followup', 'set_do_not_call'].sort(),
    );
    for (const tool of TOOL_ALLOWLIST) expect(isAllowedTool(tool)).toBe(true);
    for (const tool of ['transfer_call', 'flow_turn', 'send_sms', 'LOG_CALL_OUTCOME', '']) {
      expect(isAllowedTool(tool)).toBe(false);
    }
  });
});
