import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CampaignContact, RetriesWaiting } from '../activities/campaign.activities';
import type { ContactRetry } from '../schema/repositories/campaigns.repository';
import { msUntilWindowOpens } from '../domain/calling-window';
import { maskPhone } from '../domain/phone';
import { nextAttempt } from '../domain/retry-policy';
import { callAttemptId } from '../domain/uuid';
import {
  CallStatusAttr,
  CampaignIdAttr,
  ProviderAttr,
  TenantIdAttr,
} from '../temporal-config/search-attributes';
import type { CallWorkflowResult } from './call.messages';
import { callWorkflow } from './call.workflow';
import { PATCHES } from './patches';
import {
  campaignProgressQuery,
  cancelCampaignSignal,
  pauseCampaignSignal,
  resumeCampaignSignal,
  type CampaignCarryOver,
  type CampaignWorkflowInput,
  type PendingRetry,
} from './campaign.messages';

const PAGE_SIZE = 200;
/** Due attempts taken from Postgres at once; the run holds them (and carries them) until dialled. */
const RETRY_PAGE = 100;
/** Children started per run before continuing as new, far below the history limits. */
const CHILDREN_PER_RUN = 1000;
/** How often a call started by an earlier run (found by its id) is checked for its result. */
const ADOPTED_CALL_POLL_MS = 5_000;
const ADOPT_MISSING_POLLS = 60;
/**
 * Dials are spaced by 1/callsPerSecond; above 10 per second they go out in bursts of at most
 * callsPerSecond/10, each burst followed by the gap its size earns, so the rate still holds.
 */
const PACING_TICK_MS = 100;

const db = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function campaignWorkflow(input: CampaignWorkflowInput): Promise<void> {
  const { settings } = input;
  const retriesInRows = patched(PATCHES.retriesInContactRows);
  const childrenPerRun = input.childrenPerRun ?? CHILDREN_PER_RUN;
  const state: CampaignCarryOver = input.state
    ? { ...input.state, runs: input.state.runs + 1 }
    : {
        nextSeq: 0,
        exhausted: false,
        retries: [],
        paused: false,
        cancelled: false,
        completed: 0,
        dialled: 0,
        lastStartMs: 0,
        runs: 1,
      };
  /** Call ids of children started (or adopted) and not yet reported back. */
  const inFlight = new Set<string>();
  let finished = false;
  // Contacts read from Postgres but not yet dialled; state.nextSeq moves only when one is taken,
  // so a continue-as-new that drops this buffer re-reads them instead of skipping them.
  const buffer: CampaignContact[] = [];
  let startedThisRun = 0;
  /** Next attempts decided since the last write to Postgres (retriesInRows). */
  const unstored: ContactRetry[] = [];
  let claims = 0;

  setHandler(pauseCampaignSignal, () => void (state.paused = true));
  setHandler(resumeCampaignSignal, () => void (state.paused = false));
  setHandler(cancelCampaignSignal, () => void (state.cancelled = true));
  setHandler(campaignProgressQuery, () => ({
    campaignId: input.campaignId,
    status: state.cancelled
      ? finished
        ? 'cancelled'
        : 'cancelling'
      : finished
        ? 'completed'
        : state.paused
          ? 'paused'
          : 'running',
    inFlight: inFlight.size,
    dialled: state.dialled,
    completed: state.completed,
    pendingRetries: state.retries.length + (state.retriesWaiting ?? 0) + unstored.length,
    nextSeq: state.nextSeq,
    runs: state.runs,
  }));

  const onCallFinished = (contact: PendingRetry, result: CallWorkflowResult) => {
    state.completed++;
    if (state.cancelled) return;
    const next = nextAttempt(result, contact.attempt, contact.followups, settings.retry, Date.now());
    if (next && retriesInRows) {
      unstored.push({
        contactId: contact.contactId,
        attempt: contact.attempt + 1,
        followups: contact.followups + (next.kind === 'followup' ? 1 : 0),
        notBefore: next.notBefore,
      });
    } else if (next) {
      state.retries.push({
        ...contact,
        attempt: contact.attempt + 1,
        followups: contact.followups + (next.kind === 'followup' ? 1 : 0),
        notBefore: next.notBefore,
      });
    }
  };

  /**
   * The call id is derived from (campaign, contact, attempt) and the child id from it, with
   * REJECT_DUPLICATE: however often this workflow is restarted, reset or continued, one attempt can
   * start at most one call workflow. A duplicate is adopted (its result read from Postgres), never
   * dialled again.
   */
  const startCall = async (contact: PendingRetry) => {
    const callId = callAttemptId(input.campaignId, contact.contactId, contact.attempt);
    state.dialled++;
    startedThisRun++;
    inFlight.add(callId);
    const finish = (result: CallWorkflowResult) => {
      onCallFinished(contact, result);
      inFlight.delete(callId);
    };
    try {
      const handle = await startChild(callWorkflow, {
        workflowId: `call-${callId}`,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        // Calls outlive a cancelled or continued-as-new campaign run: each owns its own outcome.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        staticSummary: `Call ${maskPhone(contact.phone)} (attempt ${contact.attempt})`,
        typedSearchAttributes: [
          { key: TenantIdAttr, value: input.tenantId },
          { key: CampaignIdAttr, value: input.campaignId },
          { key: ProviderAttr, value: settings.provider },
          { key: CallStatusAttr, value: 'queued' },
        ],
        args: [
          {
            callId,
            tenantId: input.tenantId,
            campaignId: input.campaignId,
            contactId: contact.contactId,
            attempt: contact.attempt,
            toNumber: contact.phone,
            provider: settings.provider,
            callType: settings.callType,
            language: settings.language,
            timezone: settings.timezone,
            callingWindow: settings.callingWindow,
            name: contact.name,
            variables: contact.variables,
            amd: settings.amd,
            ...(settings.transferNumber ? { transferNumber: settings.transferNumber } : {}),
            ...(settings.classifier ? { classifier: settings.classifier } : {}),
            ...(settings.callTiming ? { timing: settings.callTiming } : {}),
            ...(settings.followupDefaultMinutes
              ? { followupDefaultMinutes: settings.followupDefaultMinutes }
              : {}),
          },
        ],
      });
      void handle.result().then(finish, () => finish(failedResult(callId, contact)));
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      log.warn('Call already started by an earlier run; adopting it', {
        callId,
        contactId: contact.contactId,
      });
      void adopt(callId, contact).then(finish);
    }
  };

  /** Waits for a call this workflow did not start in this run; it keeps its concurrency slot. */
  const adopt = async (callId: string, contact: PendingRetry): Promise<CallWorkflowResult> => {
    for (let missing = 0; missing < ADOPT_MISSING_POLLS;) {
      const found = await db.loadAttemptResult({ callId });
      if (found.state === 'final') return found.result;
      missing = found.state === 'missing' ? missing + 1 : 0;
      await sleep(ADOPTED_CALL_POLL_MS);
    }
    // Started long ago and never reserved its attempt row: it was terminated before dialing.
    return failedResult(callId, contact);
  };

  /** Reads pages until one holds a contact to dial, or the list ends. */
  const refill = async () => {
    while (buffer.length === 0 && !state.exhausted) {
      const page = await db.loadContacts({
        campaignId: input.campaignId,
        fromSeq: state.nextSeq,
        limit: PAGE_SIZE,
      });
      if (page.length < PAGE_SIZE) state.exhausted = true;
      // A contact with a final outcome was settled before (a campaign workflow restarted from scratch).
      const fresh = page.filter((c) => c.finalOutcome === null);
      const last = page[page.length - 1];
      if (fresh.length === 0 && last) state.nextSeq = last.seq + 1;
      buffer.push(...fresh);
    }
  };

  const noteWaiting = (waiting: RetriesWaiting) => {
    state.retriesWaiting = waiting.waiting;
    state.nextRetryAt = waiting.nextDueAt;
  };

  /** Writes the next attempts decided meanwhile to their contacts' rows. */
  const storeRetries = async () => {
    if (unstored.length === 0) return;
    noteWaiting(await db.storeRetries({ campaignId: input.campaignId, retries: unstored.splice(0) }));
  };

  /** Takes due attempts from Postgres once those this run holds are dialled. */
  const claimRetries = async () => {
    const now = Date.now();
    if (state.nextRetryAt == null || state.nextRetryAt > now) return;
    if (state.retries.some((r) => r.notBefore <= now)) return;
    const taken = await db.claimDueRetries({
      campaignId: input.campaignId,
      claim: `${workflowInfo().runId}/${++claims}`,
      dueBy: now,
      limit: RETRY_PAGE,
    });
    state.retries.push(...taken.retries);
    noteWaiting(taken);
  };

  /** Takes the next contact due now: retries first, then the next fresh contact. */
  const takeDue = (): PendingRetry | undefined => {
    const now = Date.now();
    const dueIndex = state.retries.findIndex((r) => r.notBefore <= now);
    if (dueIndex >= 0) return state.retries.splice(dueIndex, 1)[0];
    const contact = buffer.shift();
    if (!contact) return undefined;
    state.nextSeq = contact.seq + 1;
    return { ...contact, attempt: 1, followups: 0, notBefore: now };
  };

  const allDone = () =>
    state.exhausted &&
    buffer.length === 0 &&
    state.retries.length === 0 &&
    unstored.length === 0 &&
    (state.retriesWaiting ?? 0) === 0 &&
    inFlight.size === 0;
  const stopping = () =>
    state.cancelled || startedThisRun >= childrenPerRun || workflowInfo().continueAsNewSuggested;
  const minGapMs = 1000 / Math.max(settings.callsPerSecond, 0.001);

  // A first run finds the attempts an earlier, terminated workflow of this campaign left waiting.
  if (retriesInRows && !input.state) noteWaiting(await db.retriesWaiting({ campaignId: input.campaignId }));

  for (;;) {
    await condition(() => stopping() || (!state.paused && inFlight.size < settings.maxConcurrentCalls));
    if (stopping()) break;

    // Pacing: calls-per-second is a floor on the gap between two dials, kept across pause/resume
    // and continue-as-new. A pause or cancel during the wait is honoured before dialing.
    const gap = state.lastStartMs + minGapMs - Date.now();
    if (gap > 0) {
      await condition(() => state.cancelled || state.paused, gap);
      continue;
    }

    // Calling hours: children would wait for the window on their own, but would then all dial the
    // moment it opens; waiting here keeps the pacing.
    const closedFor = msUntilWindowOpens(Date.now(), settings.callingWindow, settings.timezone);
    if (closedFor > 0) {
      await condition(() => state.cancelled || state.paused, closedFor);
      continue;
    }

    await refill();
    await storeRetries();
    await claimRetries();
    if (state.paused || state.cancelled) continue;
    const contact = takeDue();
    if (!contact) {
      if (allDone()) break;
      const nextRetryAt = Math.min(...state.retries.map((r) => r.notBefore), state.nextRetryAt ?? Infinity);
      const size = inFlight.size;
      const wake = () => state.cancelled || inFlight.size !== size || buffer.length > 0;
      if (Number.isFinite(nextRetryAt)) await condition(wake, Math.max(nextRetryAt - Date.now(), 1));
      else await condition(wake);
      continue;
    }
    // Several children per workflow task when the rate allows it: one start per task caps a
    // campaign at a few calls per second. The batch takes its share of the rate up front.
    const batch = [contact];
    const room = Math.min(
      settings.maxConcurrentCalls - inFlight.size,
      Math.max(1, Math.floor(PACING_TICK_MS / minGapMs)),
      childrenPerRun - startedThisRun,
    );
    while (batch.length < room) {
      const next = takeDue();
      if (!next) break;
      batch.push(next);
    }
    state.lastStartMs = Date.now() + (batch.length - 1) * minGapMs;
    await Promise.all(batch.map(startCall));
  }

  // Continue-as-new only with no children in flight, so every call's result is seen by some run.
  await condition(() => inFlight.size === 0);
  await storeRetries();
  if (!state.cancelled && !allDone()) {
    // The buffer is dropped: its contacts are at or after nextSeq and are read again.
    const carry = {
      ...state,
      exhausted: state.exhausted && buffer.length === 0,
      retries: [...state.retries],
    };
    await continueAsNew<typeof campaignWorkflow>({ ...input, state: carry });
  }
  if (state.cancelled) {
    await db.settleUnfinishedContacts({
      campaignId: input.campaignId,
      awaitingRetry: state.retries.map((r) => r.contactId),
      status: 'cancelled',
      outcome: 'cancelled',
    });
    state.retries = [];
    await db.setCampaignStatus({
      campaignId: input.campaignId,
      from: ['running', 'paused', 'cancelling'],
      to: 'cancelled',
    });
  } else {
    // A contact still without an outcome had a call workflow that failed or was terminated.
    await db.settleUnfinishedContacts({
      campaignId: input.campaignId,
      awaitingRetry: [],
      status: 'failed',
      outcome: 'failed',
    });
    await db.setCampaignStatus({
      campaignId: input.campaignId,
      from: ['running', 'paused'],
      to: 'completed',
    });
  }
  finished = true;
}

function failedResult(callId: string, contact: PendingRetry): CallWorkflowResult {
  return {
    callId,
    contactId: contact.contactId,
    attempt: contact.attempt,
    status: 'failed',
    outcome: 'failed',
    label: null,
    sipCode: null,
  };
}
