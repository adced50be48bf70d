import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  getExternalWorkflowHandle,
  log,
  sleep,
  startChild,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ContactAttempt } from '../domain/campaign-contacts';
import { maskPhone } from '../domain/phone';
import type { AttemptResult } from '../domain/retry-policy';
import { callAttemptId } from '../domain/uuid';
import {
  CallStatusAttr,
  CampaignIdAttr,
  ProviderAttr,
  TenantIdAttr,
} from '../temporal-config/search-attributes';
import { callAliveProbeSignal, callInputFor, type CallWorkflowResult } from './call.messages';
import { callWorkflow } from './call.workflow';
import type { AttemptRef, CampaignWorkflowInput, CarriedCall } from './campaign.messages';
import { callWorkflowId } from './workflow-ids';

/** How often a call started by an earlier run (found by its id) is checked for its result. */
const ADOPTED_CALL_POLL_MS = 5_000;
const ADOPT_MISSING_POLLS = 60;
/** A carried call silent this long is checked on: its end may never be signalled (terminated, or older code). */
const CARRIED_SILENCE_MS = 10 * 60_000;

/** What the campaign learns of a call it could not follow: it is over, and nothing reached anyone. */
const FAILED: AttemptResult = { outcome: 'failed', label: null };

/**
 * Starts each attempt's call workflow and reports its result. The call id is derived from
 * (campaign, contact, attempt) and the child id from it, with REJECT_DUPLICATE: however often the
 * campaign is restarted, reset or continued, one attempt starts at most one call workflow. A
 * duplicate is adopted (its result read from Postgres), never dialled again.
 *
 * A call's end arrives as its child result or as its callEnded signal, whichever comes first; a
 * call carried over from an earlier run only has the signal.
 */
export class CallStarter {
  /** Calls started (or adopted, or carried over) and not yet reported back. */
  private readonly live = new Map<string, AttemptRef & { carriedSinceMs?: number }>();
  /** Calls started by this run: a run starts a bounded number before continuing as new. */
  startedThisRun = 0;

  constructor(
    private readonly campaign: Pick<CampaignWorkflowInput, 'campaignId' | 'tenantId' | 'settings'>,
    private readonly db: Pick<Activities, 'loadAttemptResult'>,
    private readonly onFinished: (attempt: AttemptRef, result: AttemptResult) => void,
    carried: readonly CarriedCall[] = [],
  ) {
    for (const { callId, ...attempt } of carried) this.live.set(callId, attempt);
    if (carried.length > 0) void this.checkOnSilentCalls();
  }

  /** Calls started and not yet reported back; each holds a concurrency slot. */
  get inFlight(): number {
    return this.live.size;
  }

  /** The calls still live, for the next run to hold and hear. */
  carryOver(nowMs: number): CarriedCall[] {
    return [...this.live].map(([callId, { carriedSinceMs, ...attempt }]) => ({
      callId,
      ...attempt,
      carriedSinceMs: carriedSinceMs ?? nowMs,
    }));
  }

  /** A call's callEnded signal: the end of a call this run started or carried, else already reported. */
  ended(result: CallWorkflowResult): void {
    this.finish(result.callId, result);
  }

  async start(attempt: ContactAttempt): Promise<void> {
    const callId = callAttemptId(this.campaign.campaignId, attempt.contactId, attempt.attempt);
    this.startedThisRun++;
    this.live.set(callId, {
      contactId: attempt.contactId,
      attempt: attempt.attempt,
      followups: attempt.followups,
    });
    const { settings } = this.campaign;
    try {
      const handle = await startChild(callWorkflow, {
        workflowId: callWorkflowId(callId),
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        // Calls outlive a cancelled or continued-as-new campaign run: each owns its own outcome.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        staticSummary: `Call ${maskPhone(attempt.phone)} (attempt ${attempt.attempt})`,
        typedSearchAttributes: [
          { key: TenantIdAttr, value: this.campaign.tenantId },
          { key: CampaignIdAttr, value: this.campaign.campaignId },
          { key: ProviderAttr, value: settings.provider },
          { key: CallStatusAttr, value: 'queued' },
        ],
        args: [callInputFor(this.campaign, attempt, callId)],
      });
      void handle.result().then(
        (result) => this.finish(callId, result),
        () => this.finish(callId, FAILED),
      );
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      log.warn('Call already started by an earlier run; adopting it', {
        callId,
        contactId: attempt.contactId,
      });
      void this.adopt(callId).then((result) => this.finish(callId, result));
    }
  }

  /** Reports a call's result once, however many ways its end arrives. */
  private finish(callId: string, result: AttemptResult): void {
    const attempt = this.live.get(callId);
    if (!attempt) return;
    this.live.delete(callId);
    this.onFinished(attempt, result);
  }

  /**
   * A carried call whose end was never signalled (terminated, or started by code that did not
   * signal) would hold its slot forever: once silent for long, one that no longer runs (a probe
   * signal cannot reach it) is read from Postgres.
   */
  private async checkOnSilentCalls(): Promise<void> {
    for (;;) {
      const carried = [...this.live].filter(([, call]) => call.carriedSinceMs !== undefined);
      if (carried.length === 0) return;
      const oldest = Math.min(...carried.map(([, call]) => call.carriedSinceMs!));
      const wait = oldest + CARRIED_SILENCE_MS - Date.now();
      if (wait > 0) {
        await sleep(wait);
        continue;
      }
      for (const [callId, call] of carried) {
        if (call.carriedSinceMs! + CARRIED_SILENCE_MS > Date.now()) continue;
        call.carriedSinceMs = Date.now();
        const running = await getExternalWorkflowHandle(callWorkflowId(callId))
          .signal(callAliveProbeSignal)
          .then(
            () => true,
            () => false,
          );
        if (!running) this.finish(callId, await this.endedSilently(callId));
      }
    }
  }

  /** A call that no longer runs and never said so: its record, or failed if it never got one. */
  private async endedSilently(callId: string): Promise<AttemptResult> {
    const found = await this.db.loadAttemptResult({ callId });
    return found.state === 'final' ? found.result : FAILED;
  }

  /** Waits for a call this run did not start; it keeps its concurrency slot meanwhile. */
  private async adopt(callId: string): Promise<AttemptResult> {
    for (let missing = 0; missing < ADOPT_MISSING_POLLS;) {
      const found = await this.db.loadAttemptResult({ callId });
      if (found.state === 'final') return found.result;
      missing = found.state === 'missing' ? missing + 1 : 0;
      await sleep(ADOPTED_CALL_POLL_MS);
    }
    // Started long ago and never reserved its attempt row: it was terminated before dialing.
    return FAILED;
  }
}
