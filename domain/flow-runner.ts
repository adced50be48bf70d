import { initialTransition, transition } from 'xstate';
import type { LabelModelResult } from './classifier';
import { chooseLabel, classifyDtmf, classifyUtterance, parseFollowupMinutes } from './classifier';
import type { FlowContext, FlowEffectParams, FlowInput, FlowStateName } from './flow.machine';
import { flowMachine } from './flow.machine';
import { MissingTemplateVariableError, missingVariables } from './flows';
import type { CallStatus, CallType, Label, Language, Provider } from './vocabulary';

/** The only tools the V1 flow may call (seed 000 §5); anything else the agent asks for is refused. */
export const TOOL_ALLOWLIST = [
  'log_call_outcome',
  'create_callback',
  'set_do_not_call',
  'schedule_followup',
] as const;
export type FlowTool = (typeof TOOL_ALLOWLIST)[number];

/** The dynamic variable the agent's transfer_to_number system tool dials (activities/providers/elevenlabs/provision.ts). */
export const TRANSFER_NUMBER_VARIABLE = 'transfer_number';

export function isAllowedTool(name: string): name is FlowTool {
  return (TOOL_ALLOWLIST as readonly string[]).includes(name);
}

/**
 * What the workflow must do after a step, in order. `transfer_call` is call control (seed 002),
 * executed by the workflow through the provider; it is not a tool the agent can call.
 */
export type FlowAction =
  | { type: 'log_call_outcome'; args: FlowEffectParams['logOutcome'] }
  | { type: 'set_do_not_call'; args: FlowEffectParams['requestDnc'] }
  | { type: 'schedule_followup'; args: FlowEffectParams['requestFollowup'] }
  | { type: 'create_callback'; args: FlowEffectParams['requestCallback'] }
  | { type: 'transfer_call'; args: FlowEffectParams['requestTransfer'] };

/** Plain JSON: what the flow view query returns. */
export interface FlowSnapshot {
  version: 1;
  value: FlowStateName;
  status: 'active' | 'done';
  context: FlowContext;
}

export interface FlowTurnInput {
  utterance?: string;
  dtmf?: string;
  /** LLM_LABEL_ONLY mode: the label an activity got from the model (chooseLabel decides). */
  llm?: LabelModelResult;
}

export interface FlowStep {
  snapshot: FlowSnapshot;
  say: string;
  actions: FlowAction[];
}

export interface FlowTurnResult extends FlowStep {
  /** How this turn was understood (UNKNOWN on a re-ask). */
  label: Label;
  endCall: boolean;
}

type MachineSnapshot = ReturnType<typeof flowMachine.resolveState>;
type MachineAction = ReturnType<typeof transition<typeof flowMachine>>[1][number];

const FLOW_STATE_NAMES: readonly FlowStateName[] = [
  'greeting',
  'listening',
  'reasking',
  'action',
  'closing',
  'done',
  'transferred',
  'hungUp',
];

function persist(snapshot: MachineSnapshot): FlowSnapshot {
  if (snapshot.status === 'error') throw snapshot.error;
  const persisted = flowMachine.getPersistedSnapshot(snapshot) as unknown as Omit<FlowSnapshot, 'version'>;
  const value = persisted.value;
  if (!FLOW_STATE_NAMES.includes(value))
    throw new Error(`Flow machine in unexpected state ${JSON.stringify(value)}`);
  return {
    version: 1,
    value,
    status: snapshot.status === 'done' ? 'done' : 'active',
    context: persisted.context,
  };
}

function restore(snapshot: FlowSnapshot): MachineSnapshot {
  if (snapshot.version !== 1)
    throw new Error(`Unsupported flow snapshot version ${String(snapshot.version)}`);
  return flowMachine.resolveState({ value: snapshot.value, context: snapshot.context });
}

const TOOL_FOR_EFFECT = {
  logOutcome: 'log_call_outcome',
  requestDnc: 'set_do_not_call',
  requestFollowup: 'schedule_followup',
  requestCallback: 'create_callback',
  requestTransfer: 'transfer_call',
} as const satisfies Record<keyof FlowEffectParams, FlowAction['type']>;

function isEffect(type: string): type is keyof typeof TOOL_FOR_EFFECT {
  return Object.hasOwn(TOOL_FOR_EFFECT, type);
}

/** Context updates are already in the snapshot; only the named effects become work for the workflow. */
function toFlowActions(actions: readonly MachineAction[]): FlowAction[] {
  return actions.flatMap((action) =>
    isEffect(action.type) ? [{ type: TOOL_FOR_EFFECT[action.type], args: action.params } as FlowAction] : [],
  );
}

/** What one call's script starts from: the campaign's script and the contact's row. */
export interface CallScript {
  callType: CallType;
  language: Language;
  provider: Provider;
  name: string | null;
  variables: Readonly<Record<string, string>>;
  transferNumber?: string;
}

/**
 * The conversation of one call as the call workflow starts it; the wizard's opening-line preview
 * calls the same function, so it shows exactly what the call will say. Every provider transfers:
 * ElevenLabs and Ultravox through their agent, Asterisk through the workflow.
 */
export function startCallFlow(script: CallScript): FlowStep {
  return startFlow({
    callType: script.callType,
    language: script.language,
    variables: { ...script.variables, name: script.name ?? undefined },
    transferNumber: script.transferNumber ?? null,
  });
}

const TRANSFER_FAILED_OPENING: Record<Language, string> = {
  tr: 'Şu anda bir temsilcimize ulaşamadım.',
  en: 'I could not reach an agent just now.',
};

/** What the person hears when the transfer fails: that, and the callback the campaign falls back to. */
export function transferFailedLine(snapshot: FlowSnapshot): string {
  const { language, lines } = snapshot.context;
  return `${TRANSFER_FAILED_OPENING[language]} ${lines.closing.ASK_AGENT}`;
}

/**
 * Starts a conversation: the opening line (sent with the dial request) and the snapshot to keep.
 * Throws `MissingTemplateVariableError` when the row lacks a variable (campaign creation should
 * already have rejected it with `missingVariables`).
 */
export function startFlow(input: FlowInput): FlowStep {
  const missing = missingVariables(input.callType, input.language, input.variables);
  if (missing.length > 0) throw new MissingTemplateVariableError(missing);
  const [snapshot, actions] = initialTransition(flowMachine, input);
  const persisted = persist(snapshot);
  return { snapshot: persisted, say: persisted.context.say, actions: toFlowActions(actions) };
}

function labelTurn(context: FlowContext, turn: FlowTurnInput): Label {
  if (turn.dtmf !== undefined && turn.dtmf.trim() !== '') return classifyDtmf(turn.dtmf);
  const keywordLabel = classifyUtterance(turn.utterance ?? '', context.language, context.callType);
  return turn.llm === undefined ? keywordLabel : chooseLabel(turn.llm, keywordLabel);
}

/**
 * One turn of the conversation: classify what the person said or keyed, move the machine, return
 * the next line and the effects to execute. A turn after the flow ended repeats the last line with
 * no effects, so a redelivered turn cannot act twice.
 */
export function runTurn(snapshot: FlowSnapshot, turn: FlowTurnInput): FlowTurnResult {
  if (snapshot.status === 'done') {
    const { context } = snapshot;
    return { snapshot, say: context.say, label: context.label ?? 'UNKNOWN', endCall: true, actions: [] };
  }
  const label = labelTurn(snapshot.context, turn);
  const followupMinutes =
    label === 'LATER' && turn.utterance !== undefined
      ? parseFollowupMinutes(turn.utterance, snapshot.context.language)
      : null;
  const [next, actions] = transition(flowMachine, restore(snapshot), {
    type: 'TURN',
    label,
    followupMinutes,
  });
  const persisted = persist(next);
  return {
    snapshot: persisted,
    say: persisted.context.say,
    label,
    endCall: persisted.status === 'done',
    actions: toFlowActions(actions),
  };
}

/** The person hung up mid-conversation: logs the outcome so far. No-op once the flow has ended. */
export function hangUpFlow(snapshot: FlowSnapshot): FlowStep {
  // XState's pure transition does not refuse events to a finished machine (an actor would).
  if (snapshot.status === 'done') return { snapshot, say: snapshot.context.say, actions: [] };
  const [next, actions] = transition(flowMachine, restore(snapshot), { type: 'HANGUP' });
  const persisted = persist(next);
  return { snapshot: persisted, say: persisted.context.say, actions: toFlowActions(actions) };
}

/** The one place internal flow states become the public CallStatus. */
export function flowStatus(snapshot: Pick<FlowSnapshot, 'value'>): CallStatus {
  const value: string = snapshot.value;
  switch (value) {
    case 'greeting':
    case 'listening':
    case 'reasking':
    case 'action':
    case 'closing':
      return 'talking';
    case 'done':
    case 'hungUp':
      return 'completed';
    case 'transferred':
      return 'transferred';
    default:
      throw new Error(`Unknown flow state ${JSON.stringify(value)}`);
  }
}
