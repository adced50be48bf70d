import { and, assign, setup } from 'xstate';
import type { RenderedLines } from './flows';
import { renderLines } from './flows';
import type { CallType, Label, Language } from './vocabulary';

/** UNKNOWN answers are re-asked at most this many times (seed 000 §5), then the call closes. */
export const MAX_REASKS = 2;

export interface FlowInput {
  callType: CallType;
  language: Language;
  variables: Readonly<Record<string, string | null | undefined>>;
  /** Where ASK_AGENT is transferred; without one, an agent calls back. */
  transferNumber?: string | null;
}

export interface FlowContext {
  callType: CallType;
  language: Language;
  /**
   * Rendered once at the start: a running call keeps the words it started with even if the scripts
   * change in a later deploy, and the snapshot needs no variables to continue.
   */
  lines: RenderedLines;
  transferNumber: string | null;
  /** The decided label; null while the conversation is still asking. */
  label: Label | null;
  reaskCount: number;
  /** Follow-up delay the person named for LATER; null means the campaign default. */
  followupMinutes: number | null;
  /** The line to say now (set by the last transition; empty after a hang-up). */
  say: string;
}

export type FlowEvent = { type: 'TURN'; label: Label; followupMinutes?: number | null } | { type: 'HANGUP' };

/** Parameters of the side-effect actions: the workflow reads them from the returned actions. */
export interface FlowEffectParams {
  logOutcome: { label: Label; reaskCount: number; hungUp: boolean };
  requestDnc: { reason: 'caller_request' };
  requestFollowup: { afterMinutes: number | null };
  requestCallback: { reason: 'caller_asked_for_agent' };
  requestTransfer: { to: string };
}

/** Side effects are data: the machine never performs them, the workflow executes what is returned. */
function effect<K extends keyof FlowEffectParams>(): (_args: unknown, _params: FlowEffectParams[K]) => void {
  return () => undefined;
}

export const flowMachine = setup({
  types: {
    input: {} as FlowInput,
    context: {} as FlowContext,
    events: {} as FlowEvent,
  },
  guards: {
    isUnknownAnswer: ({ event }) => event.type === 'TURN' && event.label === 'UNKNOWN',
    canReask: ({ context }) => context.reaskCount < MAX_REASKS,
    wantsNoCalls: ({ context }) => context.label === 'DONT_CALL',
    wantsLater: ({ context }) => context.label === 'LATER',
    wantsAgent: ({ context }) => context.label === 'ASK_AGENT',
    hasTransferNumber: ({ context }) => context.transferNumber !== null,
  },
  actions: {
    sayOpening: assign({ say: ({ context }) => context.lines.opening }),
    sayReask: assign({
      reaskCount: ({ context }) => context.reaskCount + 1,
      say: ({ context }) => context.lines.reask,
    }),
    sayClosing: assign({
      say: ({ context }) =>
        context.label === 'ASK_AGENT' && context.transferNumber !== null
          ? context.lines.transfer
          : context.lines.closing[context.label ?? 'UNKNOWN'],
    }),
    sayNothing: assign({ say: '' }),
    recordAnswer: assign(({ event }) =>
      event.type === 'TURN' ? { label: event.label, followupMinutes: event.followupMinutes ?? null } : {},
    ),
    logOutcome: effect<'logOutcome'>(),
    requestDnc: effect<'requestDnc'>(),
    requestFollowup: effect<'requestFollowup'>(),
    requestCallback: effect<'requestCallback'>(),
    requestTransfer: effect<'requestTransfer'>(),
  },
}).createMachine({
  id: 'flow',
  initial: 'greeting',
  context: ({ input }) => ({
    callType: input.callType,
    language: input.language,
    lines: renderLines(input.callType, input.language, input.variables),
    transferNumber: input.transferNumber ?? null,
    label: null,
    reaskCount: 0,
    followupMinutes: null,
    say: '',
  }),
  on: {
    HANGUP: {
      target: '.hungUp',
      actions: [
        'sayNothing',
        {
          type: 'logOutcome',
          params: ({ context }) => ({
            label: context.label ?? 'UNKNOWN',
            reaskCount: context.reaskCount,
            hungUp: true,
          }),
        },
      ],
    },
  },
  states: {
    greeting: {
      entry: 'sayOpening',
      always: 'listening',
    },
    listening: {
      on: {
        TURN: [
          { guard: and(['isUnknownAnswer', 'canReask']), target: 'reasking' },
          { target: 'action', actions: 'recordAnswer' },
        ],
      },
    },
    reasking: {
      entry: 'sayReask',
      always: 'listening',
    },
    action: {
      always: [
        {
          guard: 'wantsNoCalls',
          target: 'closing',
          actions: { type: 'requestDnc', params: { reason: 'caller_request' } },
        },
        {
          guard: 'wantsLater',
          target: 'closing',
          actions: {
            type: 'requestFollowup',
            params: ({ context }) => ({ afterMinutes: context.followupMinutes }),
          },
        },
        {
          guard: and(['wantsAgent', 'hasTransferNumber']),
          target: 'closing',
          actions: {
            type: 'requestTransfer',
            params: ({ context }) => ({ to: context.transferNumber ?? '' }),
          },
        },
        {
          guard: 'wantsAgent',
          target: 'closing',
          actions: { type: 'requestCallback', params: { reason: 'caller_asked_for_agent' } },
        },
        { target: 'closing' },
      ],
    },
    closing: {
      entry: [
        'sayClosing',
        {
          type: 'logOutcome',
          params: ({ context }) => ({
            label: context.label ?? 'UNKNOWN',
            reaskCount: context.reaskCount,
            hungUp: false,
          }),
        },
      ],
      always: [
        { guard: and(['wantsAgent', 'hasTransferNumber']), target: 'transferred' },
        { target: 'done' },
      ],
    },
    done: { type: 'final' },
    transferred: { type: 'final' },
    hungUp: { type: 'final' },
  },
});

export type FlowStateName =
  'greeting' | 'listening' | 'reasking' | 'action' | 'closing' | 'done' | 'transferred' | 'hungUp';
