import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, WorkflowIdReusePolicy, log, sleep, startChild } from '@temporalio/workflow';
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
import { callInputFor } from './call.messages';
import { callWorkflow } from './call.workflow';
import type { CampaignWorkflowInput } from './campaign.messages';
import { callWorkflowId } from './workflow-ids';

/** How often a call started by an earlier run (found by its id) is checked for its result. */
const ADOPTED_CALL_POLL_MS = 5_000;
const ADOPT_MISSING_POLLS = 60;

/** What the campaign learns of a call it could not follow: it is over, and nothing reached anyone. */
const FAILED: AttemptResult = { outcome: 'failed', label: null };

/**
 * Starts each attempt's call workflow and reports its result. The call id is derived from
 * (campaign, contact, attempt) and the child id from it, with REJECT_DUPLICATE: however often the
 * campaign is restarted, reset or continued, one attempt starts at most one call workflow. A
 * duplicate is adopted (its result read from Postgres), never dialled again.
 */
export class CallStarter {
  /** Call ids of children started (or adopted) and not yet reported back. */
  private readonly live = new Set<string>();
  /** Calls started by this run: a run starts a bounded number before continuing as new. */
  startedThisRun = 0;

  constructor(
    private readonly campaign: Pick<CampaignWorkflowInput, 'campaignId' | 'tenantId' | 'settings'>,
    private readonly db: Pick<Activities, 'loadAttemptResult'>,
    private readonly onFinished: (attempt: ContactAttempt, result: AttemptResult) => void,
  ) {}

  /** Calls started and not yet reported back; each holds a concurrency slot. */
  get inFlight(): number {
    return this.live.size;
  }

  async start(attempt: ContactAttempt): Promise<void> {
    const callId = callAttemptId(this.campaign.campaignId, attempt.contactId, attempt.attempt);
    this.startedThisRun++;
    this.live.add(callId);
    const finish = (result: AttemptResult) => {
      this.onFinished(attempt, result);
      this.live.delete(callId);
    };
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
      void handle.result().then(finish, () => finish(FAILED));
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      log.warn('Call already started by an earlier run; adopting it', {
        callId,
        contactId: attempt.contactId,
      });
      void this.adopt(callId).then(finish);
    }
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
