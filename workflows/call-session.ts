import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
  patched,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { countDialled, countFinished } from './call-metrics';
import { msUntilWindowOpens } from '../domain/calling-window';
import { FAILED_TRANSFER_STAGES } from '../domain/call-facts';
import { CallErrorType } from '../domain/errors';
import { MANUAL_HANGUP_CAUSE } from '../domain/outcome-reducer';
import { maskPhone } from '../domain/phone';
import { calledPartyTimeZone } from '../domain/phone-timezone';
import { SIP_REQUEST_TERMINATED, SIP_TEMPORARILY_UNAVAILABLE } from '../domain/sip-mappings';
import { dncCheckPolicy, dncCheckWaitPolicy, recordPolicy } from './activity-policies';
import { CallFlow } from './call-flow';
import { CallLeg, causeOf, messageOf } from './call-leg';
import { CallState, nowIso } from './call-state';
import { DialSlot } from './dial-slot';
import { vetTransferNumber } from './transfer-number';
import type { CallTiming, CallWorkflowInput, CallWorkflowResult } from './call.messages';

const DEFAULT_TIMING: CallTiming = {
  ringingTimeoutSeconds: 30,
  dialTimeoutSeconds: 30,
  maxCallSeconds: 15 * 60,
  reconcileSeconds: 60,
  pollIntervalSeconds: 30,
  pollAttempts: 10,
  hangupConfirmSeconds: 15,
};

const DNC_LISTED = 'number is on the Do-Not-Call list';
const DNC_UNREADABLE = 'DNC list unreadable';
/** Calls whose histories predate it give the precheck up after three quick tries (dncCheckWaitPolicy). */
const DNC_CHECK_WAITS = 'dnc-check-waits';
const HUNG_UP_BEFORE_DIALING = 'hung up before dialing';

/**
 * How long an Ultravox transfer may take to be confirmed after the provider's end: its confirmation
 * comes from Asterisk, independently of Ultravox's call.ended. (ElevenLabs reports a transfer in the
 * same webhook as the end, so there is nothing to wait for.)
 */
const TRANSFER_CONFIRM_SECONDS = 10;

/**
 * Issue 24: Asterisk reports an Ultravox coldTransfer's human leg (answered when the human picks
 * up, then how the Dial() ended), so the workflow waits for the human instead of the REFER alone.
 */
export const ULTRAVOX_HUMAN_LEG_PATCH = 'ultravox-human-leg';
/** How long `ultravox-transfer` rings the human (its Dial() timeout in infra/asterisk/extensions.conf). */
const HUMAN_RING_SECONDS = 60;

/** One call attempt, from the reservation of its row to its final record. */
export class CallSession {
  readonly state: CallState;
  readonly flow: CallFlow;
  private readonly leg: CallLeg;
  private readonly slot: DialSlot;
  private readonly timing: CallTiming;

  constructor(private readonly input: CallWorkflowInput) {
    this.timing = { ...DEFAULT_TIMING, ...input.timing };
    this.state = new CallState(input, maskPhone(input.toNumber));
    // A refused transfer number reaches neither the flow nor the dial.
    const vetted = vetTransferNumber(input);
    this.flow = new CallFlow(vetted.input, this.state, vetted.refused);
    this.leg = new CallLeg(vetted.input, this.timing, this.state);
    this.slot = new DialSlot(input, this.state);
  }

  /** An operator asked to hang up: the dial gates or followToEnd act on it. */
  requestHangUp(by: string): void {
    this.state.add({ kind: 'hangup_requested', key: 'hangup_requested', at: nowIso(), by });
  }

  /** Reserves the attempt's row (idempotent): the call exists for operators before anything waits. */
  async reserve(): Promise<void> {
    const { input } = this;
    await recordPolicy.reserveCallAttempt.executeWithOptions(
      { summary: `Reserve attempt ${input.attempt} to ${this.state.maskedNumber}` },
      [
        {
          callId: input.callId,
          tenantId: input.tenantId,
          campaignId: input.campaignId,
          contactId: input.contactId,
          attempt: input.attempt,
          toNumber: input.toNumber,
          provider: input.provider,
          workflowId: workflowInfo().workflowId,
        },
      ],
    );
  }

  /**
   * Waits for the called party's calling window, then runs the Do-Not-Call precheck and takes a slot
   * of the tenant's concurrent-call limit right before dialing. False when a fact already decided
   * the call (blocked, or hung up while waiting).
   */
  async clearedToDial(): Promise<boolean> {
    const { input, state } = this;
    const timeZone = calledPartyTimeZone(input.toNumber, input.timezone);
    for (;;) {
      const wait = msUntilWindowOpens(Date.now(), input.callingWindow, timeZone);
      if (wait > 0) {
        state.describe(
          `the calling window (${input.callingWindow.start}-${input.callingWindow.end} ${timeZone})`,
        );
        await condition(() => state.has('hangup_requested'), wait, { summary: 'calling window' });
        if (state.has('hangup_requested')) return this.cancelBeforeDialing();
        continue;
      }
      state.describe('the Do-Not-Call precheck');
      const blockedBecause = await this.doNotCallReason();
      if (blockedBecause !== null) {
        state.add({ kind: 'dnc_blocked', key: 'dnc_blocked', at: nowIso(), reason: blockedBecause });
        return false;
      }
      if (state.has('hangup_requested')) return this.cancelBeforeDialing();
      if (!(await this.slot.take())) return this.cancelBeforeDialing();
      // The precheck and the wait for a line took time: dial only if the window is still open,
      // otherwise give the line back and wait for the window again.
      if (msUntilWindowOpens(Date.now(), input.callingWindow, timeZone) === 0) return true;
      await this.slot.release();
    }
  }

  /** Places the call at most once. False when no call exists at the provider. */
  async dial(): Promise<boolean> {
    const dialled = await this.placeOnce();
    if (dialled) {
      countDialled(this.input.provider);
      log.info('call dialled', { provider: this.input.provider, attempt: this.input.attempt });
    }
    // The provider's call id on the row lets webhooks without our call id find this workflow.
    if (dialled) await this.recordState();
    return dialled;
  }

  /**
   * Follows a dialled call to its end: runs the hang-up chain when asked, waits for the provider's
   * end, polls the provider when that webhook never comes, and gives a late AMD result or transfer
   * confirmation a moment.
   */
  async followToEnd(): Promise<void> {
    const { state, timing } = this;
    let hangupHandled = false;
    const hangupPending = () => state.has('hangup_requested') && !hangupHandled;
    state.describe('the call to end');
    const dialledAt = Date.now();
    const deadline = dialledAt + (timing.ringingTimeoutSeconds + timing.maxCallSeconds) * 1000;
    // The provider rings out itself; past its ringing timeout plus a margin, the workflow checks.
    const ringDeadline =
      dialledAt + (timing.ringingTimeoutSeconds + Math.min(15, timing.ringingTimeoutSeconds)) * 1000;
    let ringChecked = false;
    while (!this.providerReportedEnd() && Date.now() < deadline) {
      const until = ringChecked ? deadline : Math.min(ringDeadline, deadline);
      await condition(
        () => this.providerReportedEnd() || hangupPending() || state.resolution.final,
        Math.max(until - Date.now(), 1),
      );
      if (hangupPending()) {
        hangupHandled = true;
        await this.hangUp();
      } else if (state.resolution.final && !this.providerReportedEnd()) {
        await this.settledBeforeProviderEnd();
        break;
      } else if (!ringChecked && Date.now() >= ringDeadline) {
        ringChecked = true;
        await this.enforceRingTimeout();
      }
    }
    await this.pollForEnd();
    await this.awaitLateReports();
  }

  /**
   * Seed 001's cancel chain: ask the provider to hang up, wait for it to report the end, then ask
   * it. A leg that was never answered and is still not reported over is recorded as cancelled (487),
   * as a CANCEL would report.
   */
  async hangUp(): Promise<void> {
    const { state } = this;
    state.describe('the provider to hang up');
    await this.leg.hangUp();
    await this.providerEnd('hang-up confirmation');
    if (this.providerReportedEnd()) return;
    await this.leg.lookUp('Check after hang-up of');
    if (!state.resolution.final && state.resolution.answeredAt === null) {
      state.add({
        kind: 'sip_termination',
        key: 'hangup_cancelled',
        at: nowIso(),
        sipCode: SIP_REQUEST_TERMINATED,
        cause: MANUAL_HANGUP_CAUSE,
      });
    }
    state.describe('the call to end');
  }

  /** Writes the final call record once: the only write of the outcome. */
  async finish(): Promise<CallWorkflowResult> {
    const { input, state, flow } = this;
    // A turn still executing its actions finishes first: its facts belong in the final record.
    await condition(allHandlersFinished);
    await flow.writesDone();
    await flow.fallBackFromFailedTransfer();
    await flow.hangUpMidConversation();
    state.publish();
    state.describeFinished();
    state.takeUnsaved();
    const resolution = state.resolution;
    countFinished(input.provider, resolution.status, resolution.outcome);
    log.info('call finished', {
      status: resolution.status,
      outcome: resolution.outcome,
      label: resolution.label,
    });
    await recordPolicy.finalizeCall.executeWithOptions(
      {
        summary: `Final record: ${resolution.status}/${resolution.outcome ?? '-'} for ${state.maskedNumber}`,
      },
      [
        {
          callId: input.callId,
          contactId: input.contactId,
          attempt: input.attempt,
          facts: state.all(),
          state: resolution,
        },
      ],
    );
    return {
      callId: input.callId,
      contactId: input.contactId,
      attempt: input.attempt,
      status: resolution.status,
      outcome: resolution.outcome,
      label: resolution.label,
      sipCode: resolution.sipCode,
      ...(flow.followupTime === null ? {} : { followupAt: flow.followupTime }),
    };
  }

  private cancelBeforeDialing(): false {
    this.state.add({ kind: 'cancelled', key: 'cancelled', at: nowIso(), reason: HUNG_UP_BEFORE_DIALING });
    return false;
  }

  /** Fail-closed: a number we cannot check is a number we do not dial. */
  private async doNotCallReason(): Promise<string | null> {
    const { input, state } = this;
    try {
      const policy = patched(DNC_CHECK_WAITS) ? dncCheckWaitPolicy : dncCheckPolicy;
      const listed = await policy.checkDoNotCall.executeWithOptions(
        { summary: `DNC precheck ${state.maskedNumber}` },
        [{ tenantId: input.tenantId, phone: input.toNumber }],
      );
      return listed ? DNC_LISTED : null;
    } catch (error) {
      log.warn('DNC list unreadable, not dialing', { error: messageOf(error) });
      return `${DNC_UNREADABLE}: ${messageOf(causeOf(error))}`;
    }
  }

  private async placeOnce(): Promise<boolean> {
    const { input, state } = this;
    const firstMessage = this.flow.openingForDial();
    state.describe('the provider to accept the dial');
    try {
      const providerCallId = await this.leg.place(firstMessage);
      state.add({
        kind: 'dial_accepted',
        key: `dial_accepted:${input.callId}`,
        at: nowIso(),
        provider: input.provider,
        providerCallId,
      });
      return true;
    } catch (error) {
      const cause = causeOf(error);
      const type = cause instanceof ApplicationFailure ? cause.type : undefined;
      if (type === CallErrorType.DialRejected || type === CallErrorType.ProviderNotConfigured) {
        const reason = `dial rejected: ${messageOf(cause)}`;
        state.add({ kind: 'dial_rejected', key: 'dial_rejected', at: nowIso(), reason });
        return false;
      }
      // Timeout, reset, lost worker: the provider may have the call. Never dial again.
      return this.reconcileUnknownDial(messageOf(cause));
    }
  }

  /** The provider may or may not have the call: wait for its webhooks, then ask it by our call id. */
  private async reconcileUnknownDial(reason: string): Promise<boolean> {
    const { state } = this;
    state.describe('a webhook or the provider to tell whether the dial happened');
    log.warn('dial result unknown, reconciling', { reason });
    const heardFromProvider = () => state.all().some((f) => f.kind !== 'hangup_requested');
    await condition(heardFromProvider, this.timing.reconcileSeconds * 1000, {
      summary: 'reconcile unknown dial',
    });
    let lookupFailure = '';
    // Webhooks do not name the provider's call id; the lookup by our call id does, for the record.
    if (state.resolution.providerCallId === null) {
      const failure = await this.leg.lookUp('Find');
      if (failure !== null) lookupFailure = `; the provider lookup failed: ${failure}`;
    }
    if (heardFromProvider()) return true;
    state.add({
      kind: 'dial_unknown',
      key: 'dial_unknown',
      at: nowIso(),
      reason: `dial result unknown (${reason}); no call found at the provider${lookupFailure}`,
    });
    return false;
  }

  private async recordState(): Promise<void> {
    const { input, state } = this;
    const { status, outcome } = state.resolution;
    await recordPolicy.recordCallState.executeWithOptions(
      { summary: `Record the call to ${state.maskedNumber} as ${status}${outcome ? `/${outcome}` : ''}` },
      [{ callId: input.callId, newFacts: state.takeUnsaved(), state: state.resolution }],
    );
  }

  /**
   * The provider's own end of the call, not merely a settled outcome: an AMD MACHINE verdict settles
   * the outcome at once, but the duration, cost and transcript still come with the provider's end.
   */
  private providerReportedEnd(): boolean {
    const { state } = this;
    return (
      state.resolution.final &&
      (state.has('ended') ||
        state.has('initiation_failure') ||
        state.has('sip_termination') ||
        state.has('dial_unknown'))
    );
  }

  private async providerEnd(summary: string): Promise<void> {
    await condition(() => this.providerReportedEnd(), this.timing.hangupConfirmSeconds * 1000, { summary });
  }

  /**
   * An AMD MACHINE verdict settles the outcome before the provider reports the end. The record shows
   * it at once; the leg is hung up (the dialplan does the same on MACHINE, seed 001 §8 scenario 3) and
   * the provider's end, with duration, cost and transcript, is awaited briefly, then asked for once.
   */
  private async settledBeforeProviderEnd(): Promise<void> {
    await this.recordState();
    await this.leg.hangUp('outcome settled');
    this.state.describe("the provider's end of the call (outcome already settled)");
    await this.providerEnd('provider end');
    if (!this.providerReportedEnd()) await this.leg.lookUp('Fetch the post-call data of');
  }

  /** A leg still ringing past the ringing timeout is hung up and recorded as unanswered (480). */
  private async enforceRingTimeout(): Promise<void> {
    const { state } = this;
    const ringing = () => !state.resolution.final && state.resolution.answeredAt === null;
    if (!ringing()) return;
    await this.leg.lookUp('Check the ringing of');
    if (!ringing()) return;
    await this.leg.hangUp('unanswered');
    state.add({
      kind: 'sip_termination',
      key: 'ring_timeout',
      at: nowIso(),
      sipCode: SIP_TEMPORARILY_UNAVAILABLE,
    });
  }

  /** ElevenLabs sends each webhook once: when the end never arrived, ask the provider. */
  private async pollForEnd(): Promise<void> {
    const { state, timing } = this;
    for (let poll = 0; !state.resolution.final && poll < timing.pollAttempts; poll++) {
      if (poll > 0) await sleep(timing.pollIntervalSeconds * 1000);
      state.describe(
        `the provider to report the end of the call (poll ${poll + 1} of ${timing.pollAttempts})`,
      );
      await this.leg.lookUp('Poll');
    }
    if (!state.resolution.final) {
      state.add({
        kind: 'dial_unknown',
        key: 'final_data_missing',
        at: nowIso(),
        reason: 'the provider never reported the end of the call',
      });
    }
  }

  /**
   * Ultravox has left the call with its REFER; Asterisk rings the human, reports the answer, and how
   * the Dial() ended once the human leg is over (its talk time, or busy, no answer, failed).
   */
  private async awaitHumanLeg(): Promise<void> {
    const { state } = this;
    const transfer = () => state.resolution.transfer;
    const settled = () => {
      const stage = transfer()?.stage;
      return stage !== undefined && (stage === 'answered' || FAILED_TRANSFER_STAGES.includes(stage));
    };
    state.describe('the human the person is transferred to');
    await condition(settled, (HUMAN_RING_SECONDS + TRANSFER_CONFIRM_SECONDS) * 1000, {
      summary: 'transfer answer',
    });
    if (transfer()?.stage !== 'answered' || transfer()?.humanSeconds !== null) return;
    state.describe('the end of the human leg');
    await condition(() => transfer()?.humanSeconds !== null, this.timing.maxCallSeconds * 1000, {
      summary: 'human leg',
    });
  }

  /** An AMD result or a transfer's confirmation may land after the provider's end: give it a moment. */
  private async awaitLateReports(): Promise<void> {
    const { input, state } = this;
    if (state.resolution.answeredAt === null) return;
    // Seed 001 §A10.4.
    if (input.amd.enabled && !state.has('amd')) {
      state.describe('a pending answering-machine detection result');
      await condition(() => state.has('amd'), input.amd.graceSeconds * 1000, { summary: 'AMD grace period' });
    }
    if (input.provider === 'ultravox' && this.flow.transferRequested) {
      if (patched(ULTRAVOX_HUMAN_LEG_PATCH)) {
        await this.awaitHumanLeg();
      } else if (!state.has('transferred')) {
        state.describe('the confirmation of the transfer');
        await condition(() => state.has('transferred'), TRANSFER_CONFIRM_SECONDS * 1000, {
          summary: 'transfer confirmation',
        });
      }
    }
    // The dialplan reports how the Dial() of the human ended once it has: after the call's end.
    const transferOpen = () => ['requested', 'ringing'].includes(state.resolution.transfer?.stage ?? '');
    if (input.provider === 'asterisk' && transferOpen()) {
      state.describe('the end of the transfer to a human');
      await condition(() => !transferOpen(), TRANSFER_CONFIRM_SECONDS * 1000, { summary: 'transfer result' });
    }
  }
}
