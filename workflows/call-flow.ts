import { ApplicationFailure, log, patched } from '@temporalio/workflow';
import { FAILED_TRANSFER_STAGES } from '../domain/call-facts';
import type { LabelModelResult } from '../domain/classifier';
import {
  hangUpFlow,
  isAllowedTool,
  runTurn,
  startCallFlow,
  TRANSFER_NUMBER_VARIABLE,
  transferFailedLine,
  type FlowAction,
  type FlowSnapshot,
  type FlowTool,
  type FlowTurnInput,
} from '../domain/flow-runner';
import { MissingTemplateVariableError } from '../domain/flows';
import { isTransferNumber } from '../domain/phone';
import type { Label } from '../domain/vocabulary';
import { labelModelPolicy, transferPolicy, turnWritePolicy } from './activity-policies';
import { causeOf, messageOf } from './call-leg';
import { nowIso, type CallState } from './call-state';
import type { RefusedTransfer } from './transfer-number';
import type {
  CallWorkflowInput,
  FlowToolName,
  FlowTurnRequest,
  FlowTurnResult,
  FlowView,
} from './call.messages';

/**
 * Issue 24: transfer progress as facts, Asterisk-originated calls transferred by the workflow, and
 * the callback a failed transfer falls back to. Histories recorded before it replay without them.
 */
export const TRANSFER_PROGRESS_PATCH = 'transfer-progress';

/** LATER without a time the person named: call again in a day. */
const DEFAULT_FOLLOWUP_MINUTES = 24 * 60;
/** Answers kept for repeated request ids; a conversation has a handful of turns. */
const MAX_ANSWERS = 64;

/** The label an allowlisted tool stands for when the agent calls it during the conversation. */
const TOOL_LABEL: Record<Exclude<FlowTool, 'log_call_outcome'>, Label> = {
  set_do_not_call: 'DONT_CALL',
  create_callback: 'ASK_AGENT',
  schedule_followup: 'LATER',
};

/**
 * The scripted conversation of one call: the flow machine's snapshot, the answers given so far (by
 * request id, so a redelivered turn gets the same answer and acts once) and the follow-up time.
 * Turns run one at a time, in arrival order.
 */
export class CallFlow {
  private snapshot: FlowSnapshot;
  private readonly answers = new Map<string, FlowTurnResult>();
  private followupAt: string | null = null;
  private dialStarted = false;
  private queue: Promise<unknown> = Promise.resolve();
  /** Writes started after their turn's answer, in turn order. */
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly input: CallWorkflowInput,
    private readonly state: CallState,
    /** The campaign's transfer number when the workflow refused it (vetTransferNumber). */
    private readonly refusedTransfer: RefusedTransfer | null = null,
  ) {
    this.snapshot = start(input);
  }

  /** The first line; reading it for the dial opens the conversation to turns. */
  openingForDial(): string {
    this.dialStarted = true;
    return this.snapshot.context.lines.opening;
  }

  get followupTime(): string | null {
    return this.followupAt;
  }

  /** The flow asked the agent to transfer the person; the provider's report confirms it or not. */
  get transferRequested(): boolean {
    return this.snapshot.value === 'transferred';
  }

  view(): FlowView {
    return {
      callId: this.input.callId,
      opening: this.snapshot.context.lines.opening,
      language: this.input.language,
      dynamicVariables: dynamicVariables(this.input),
      snapshot: this.snapshot,
      followupAt: this.followupAt,
    };
  }

  /** Update validator: refuses what can never be a turn; a known request id always passes. */
  validate(request: FlowTurnRequest): void {
    if (this.answers.has(request.requestId)) return;
    const tool: string = request.tool ?? 'flow_turn';
    if (tool !== 'flow_turn' && !isAllowedTool(tool)) throw new Error(`Tool ${tool} is not allowed`);
    if (tool === 'flow_turn' && isBlank(request.utterance) && isBlank(request.dtmf)) {
      throw new Error('A turn needs an utterance or DTMF digits');
    }
    if (!this.dialStarted) throw new Error('The call has not been dialled');
    // A final outcome: nobody is listening any more.
    if (this.state.resolution.final) throw new Error('The call has ended');
  }

  /** Update handler: one transition per new request id; its facts before the answer, its writes after. */
  async handle(request: FlowTurnRequest): Promise<FlowTurnResult> {
    const run = this.queue.then(() => this.turn(request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves once the writes started after their turns' answers are done. */
  async writesDone(): Promise<void> {
    await this.writes;
  }

  /** The person spoke at least once and the script had not ended when the call did. */
  get interrupted(): boolean {
    return this.snapshot.status === 'active' && this.answers.size > 0;
  }

  /**
   * The call ended mid-conversation (seed 000: the runner must still log an outcome): the machine
   * takes HANGUP and logs the label understood so far, UNKNOWN when none.
   */
  async hangUpMidConversation(): Promise<void> {
    await this.queue;
    if (!this.interrupted) return;
    const step = hangUpFlow(this.snapshot);
    this.recordFacts(step.actions, 'hangup');
    this.snapshot = step.snapshot;
  }

  private async turn(request: FlowTurnRequest): Promise<FlowTurnResult> {
    const known = this.answers.get(request.requestId);
    if (known) return known;
    const tool: FlowToolName = request.tool ?? 'flow_turn';
    const modelLabel = tool === 'flow_turn' ? await this.modelLabel(request) : undefined;
    const step =
      this.snapshot.status === 'active' || tool === 'flow_turn'
        ? runTurn(this.snapshot, turnInput(tool, request, modelLabel))
        : {
            // The script is over but the agent still asks for an action (e.g. "and never call me again"):
            // honour it directly.
            snapshot: this.snapshot,
            say: this.snapshot.context.say,
            label: this.snapshot.context.label ?? 'UNKNOWN',
            endCall: true,
            actions: directActions(tool, request),
          };
    // Someone is speaking or keying: the call was answered, whatever the provider reports.
    if (tool === 'flow_turn' && this.state.resolution.answeredAt === null) {
      this.state.addFromTurn({ kind: 'answered', key: 'answered:flow_turn', at: nowIso() });
    }
    // The facts (label) now; the writes once this answer is out.
    this.recordFacts(step.actions, request.requestId);
    const writes = step.actions.filter(writesElsewhere);
    if (writes.length > 0) {
      this.writes = this.writes
        .then(() => this.write(writes))
        .catch((error: unknown) => log.error('a turn action failed for good', { error: String(error) }));
    }
    this.snapshot = step.snapshot;
    const transfer = step.actions.find((a) => a.type === 'transfer_call');
    if (transfer && patched(TRANSFER_PROGRESS_PATCH)) this.startTransfer(transfer.args.to, request.requestId);
    const refused = this.refuseTransfer(step.actions);
    const answer: FlowTurnResult = {
      message: refused ? transferFailedLine(step.snapshot) : step.say,
      label: step.label,
      endCall: step.endCall,
      ...(transfer
        ? { transferTo: transfer.args.to, transferFailedMessage: transferFailedLine(step.snapshot) }
        : {}),
    };
    this.remember(request.requestId, answer);
    return answer;
  }

  /**
   * The person asked for an agent on a campaign whose transfer number the workflow refused: the flow
   * (which never saw the number) gives the callback, and the refusal is a fact of the call. True on
   * the turn that records it, whose line then says the agent could not be reached.
   */
  private refuseTransfer(actions: readonly FlowAction[]): boolean {
    const refused = this.refusedTransfer;
    const asksForAgent = actions.some((a) => a.type === 'create_callback');
    if (!refused || !asksForAgent || this.state.has('transfer')) return false;
    this.state.addFromTurn({
      kind: 'transfer',
      key: 'transfer:refused',
      at: nowIso(),
      stage: 'refused',
      to: refused.to,
      cause: refused.reason,
    });
    return true;
  }

  /**
   * The transfer is requested now; on Asterisk the workflow performs it after the answer (the line
   * "I am putting you through" is said first), the other providers' agents perform it themselves.
   */
  private startTransfer(to: string, requestId: string): void {
    this.state.addFromTurn({
      kind: 'transfer',
      key: `transfer:requested:${requestId}`,
      at: nowIso(),
      stage: 'requested',
      to,
    });
    if (this.input.provider !== 'asterisk') return;
    this.writes = this.writes.then(() => this.transferByProvider(to));
  }

  private async transferByProvider(to: string): Promise<void> {
    const { providerCallId } = this.state.resolution;
    try {
      if (!providerCallId) throw new Error('the call has no provider call id');
      await transferPolicy.transferCall({ provider: this.input.provider, providerCallId, to });
      // The human leg exists and is being dialled.
      this.state.add({ kind: 'transfer', key: 'transfer:ringing', at: nowIso(), stage: 'ringing', to });
    } catch (error) {
      const cause = messageOf(causeOf(error));
      log.warn('transfer could not be started', { error: cause });
      this.state.add({
        kind: 'transfer',
        key: 'transfer:not-started',
        at: nowIso(),
        stage: 'failed',
        to,
        cause,
      });
    }
  }

  /**
   * A transfer nobody answered falls back to the callback the campaign configures for ASK_AGENT;
   * the agent said the turn's `transferFailedMessage` to the person.
   */
  async fallBackFromFailedTransfer(): Promise<void> {
    const { input, state } = this;
    const transfer = state.resolution.transfer;
    if (!transfer || !FAILED_TRANSFER_STAGES.includes(transfer.stage) || state.has('callback_scheduled'))
      return;
    if (!patched(TRANSFER_PROGRESS_PATCH)) return;
    await turnWritePolicy.createCallback({
      tenantId: input.tenantId,
      callId: input.callId,
      phone: input.toNumber,
      reason: `transfer_${transfer.stage}`,
    });
    state.add({ kind: 'callback_scheduled', key: 'callback_scheduled', at: nowIso() });
  }

  /** LLM_LABEL_ONLY: the model's label for a spoken answer; DTMF and keyword mode need none. */
  private async modelLabel(request: FlowTurnRequest): Promise<LabelModelResult | undefined> {
    if (this.input.classifier !== 'LLM_LABEL_ONLY' || this.snapshot.status !== 'active') return undefined;
    if (isBlank(request.utterance) || !isBlank(request.dtmf)) return undefined;
    try {
      return await labelModelPolicy.labelAnswer({
        text: request.utterance!,
        language: this.input.language,
        question: this.snapshot.context.say,
      });
    } catch {
      return { ok: false };
    }
  }

  /**
   * The facts a step's actions tell. A transfer adds none: the turn's answer asks the agent to
   * transfer, and the provider's report confirms it.
   */
  private recordFacts(actions: readonly FlowAction[], requestId: string): void {
    for (const action of actions) {
      if (action.type === 'log_call_outcome') {
        this.state.addFromTurn({
          kind: 'label',
          key: `label:${requestId}`,
          at: nowIso(),
          label: action.args.label,
        });
      }
    }
  }

  private async write(actions: readonly WriteAction[]): Promise<void> {
    const { input } = this;
    // The do-not-call request goes first: nothing after it may delay honouring it.
    const ordered = [...actions].sort((a, b) => rank(a) - rank(b));
    for (const action of ordered) {
      switch (action.type) {
        case 'set_do_not_call':
          await turnWritePolicy.addCallerToDoNotCall({
            tenantId: input.tenantId,
            callId: input.callId,
            phone: input.toNumber,
            reason: action.args.reason,
          });
          break;
        case 'create_callback':
          await turnWritePolicy.createCallback({
            tenantId: input.tenantId,
            callId: input.callId,
            phone: input.toNumber,
            reason: action.args.reason,
          });
          this.state.addFromTurn({ kind: 'callback_scheduled', key: 'callback_scheduled', at: nowIso() });
          break;
        case 'schedule_followup': {
          const minutes =
            action.args.afterMinutes ?? input.followupDefaultMinutes ?? DEFAULT_FOLLOWUP_MINUTES;
          this.followupAt = await turnWritePolicy.scheduleFollowup({
            tenantId: input.tenantId,
            campaignId: input.campaignId,
            contactId: input.contactId,
            callId: input.callId,
            dueAt: new Date(Date.now() + minutes * 60_000).toISOString(),
          });
          break;
        }
      }
    }
  }

  private remember(requestId: string, answer: FlowTurnResult): void {
    this.answers.set(requestId, answer);
    if (this.answers.size > MAX_ANSWERS) {
      const oldest = this.answers.keys().next();
      if (!oldest.done) this.answers.delete(oldest.value);
    }
  }
}

/**
 * The ElevenLabs agent transfers with its transfer_to_number tool, the Ultravox agent with
 * coldTransfer, an Asterisk-originated call through the workflow (before issue 24 it got a callback).
 * The number is the campaign's, checked again here: contact data never reaches it.
 */
function start(input: CallWorkflowInput): FlowSnapshot {
  const transferNumber =
    input.transferNumber !== undefined &&
    isTransferNumber(input.transferNumber) &&
    (input.provider !== 'asterisk' || patched(TRANSFER_PROGRESS_PATCH))
      ? input.transferNumber
      : undefined;
  try {
    return startCallFlow({ ...input, transferNumber }).snapshot;
  } catch (error) {
    // Campaign creation rejects such rows; should one get here, retrying cannot help.
    if (error instanceof MissingTemplateVariableError) {
      throw ApplicationFailure.nonRetryable(error.message, 'MissingTemplateVariable');
    }
    throw error;
  }
}

function turnInput(
  tool: FlowToolName,
  request: FlowTurnRequest,
  modelLabel: LabelModelResult | undefined,
): FlowTurnInput {
  const label =
    tool === 'flow_turn' ? undefined : tool === 'log_call_outcome' ? request.label : TOOL_LABEL[tool];
  // The tool (or the label model) names the answer; a keyword do-not-call still wins (chooseLabel).
  const llm: LabelModelResult | undefined = label === undefined ? modelLabel : { ok: true, label };
  return {
    ...(request.utterance === undefined ? {} : { utterance: request.utterance }),
    ...(request.dtmf === undefined ? {} : { dtmf: request.dtmf }),
    ...(llm === undefined ? {} : { llm }),
  };
}

function directActions(tool: FlowToolName, request: FlowTurnRequest): FlowAction[] {
  switch (tool) {
    case 'set_do_not_call':
      return [{ type: 'set_do_not_call', args: { reason: 'caller_request' } }];
    case 'create_callback':
      return [{ type: 'create_callback', args: { reason: 'caller_asked_for_agent' } }];
    case 'schedule_followup':
      return [{ type: 'schedule_followup', args: { afterMinutes: null } }];
    case 'log_call_outcome':
      return request.label === undefined
        ? []
        : [{ type: 'log_call_outcome', args: { label: request.label, reaskCount: 0, hungUp: false } }];
    case 'flow_turn':
      return [];
  }
}

/** The actions that write to Postgres rather than only add a fact to the call. */
type WriteAction = Extract<FlowAction, { type: 'set_do_not_call' | 'create_callback' | 'schedule_followup' }>;

function writesElsewhere(action: FlowAction): action is WriteAction {
  return (
    action.type === 'set_do_not_call' ||
    action.type === 'create_callback' ||
    action.type === 'schedule_followup'
  );
}

function rank(action: WriteAction): number {
  return action.type === 'set_do_not_call' ? 0 : 1;
}

function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

/**
 * The agent's variables: the contact's row and name, and `transfer_number` when the campaign has one,
 * the destination of the agent's transfer_to_number system tool (a `phone_dynamic_variable`).
 */
export function agentVariables(input: CallWorkflowInput): Record<string, string> {
  // A contact's own `transfer_number` column never chooses where the person is transferred.
  const { [TRANSFER_NUMBER_VARIABLE]: _fromContact, ...contactVariables } = input.variables;
  return {
    ...contactVariables,
    ...(input.name ? { name: input.name } : {}),
    ...(input.transferNumber ? { [TRANSFER_NUMBER_VARIABLE]: input.transferNumber } : {}),
  };
}

/** What the dial sends as ElevenLabs dynamic variables (the adapter adds `call_id` itself). */
export function dynamicVariables(input: CallWorkflowInput): Record<string, string> {
  return { ...agentVariables(input), call_id: input.callId };
}
