import {
  ParentClosePolicy,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  uuid4,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CampaignContact } from '../activities/campaign.activities';
import { maskPhone } from '../domain/phone';
import { retryDelayMinutes } from '../domain/retry-policy';
import { CallStatusAttr, CampaignIdAttr, ProviderAttr, TenantIdAttr } from '../temporal-config/search-attributes';
import type { CallWorkflowResult } from './call.messages';
import { callWorkflow } from './call.workflow';
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
/** Children started per run before continuing as new, far below the history limits. */
const CHILDREN_PER_RUN = 1000;

const db = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function campaignWorkflow(input: CampaignWorkflowInput): Promise<void> {
  const { settings } = input;
  const state: CampaignCarryOver = input.state ?? {
    nextSeq: 0,
    exhausted: false,
    retries: [],
    paused: false,
    cancelled: false,
    completed: 0,
    dialled: 0,
  };
  const inFlight = new Map<string, Promise<void>>();
  const buffer: CampaignContact[] = [];
  let startedThisRun = 0;
  let lastStartMs = 0;

  setHandler(pauseCampaignSignal, () => void (state.paused = true));
  setHandler(resumeCampaignSignal, () => void (state.paused = false));
  setHandler(cancelCampaignSignal, () => void (state.cancelled = true));
  setHandler(campaignProgressQuery, () => ({
    campaignId: input.campaignId,
    status: state.cancelled
      ? inFlight.size > 0
        ? 'cancelling'
        : 'cancelled'
      : state.paused
        ? 'paused'
        : 'running',
    inFlight: inFlight.size,
    dialled: state.dialled,
    completed: state.completed,
    pendingRetries: state.retries.length,
    nextSeq: state.nextSeq,
  }));

  const onCallFinished = (contact: PendingRetry, result: CallWorkflowResult) => {
    state.completed++;
    const delay = retryDelayMinutes(result.outcome, contact.attempt, settings.retry);
    if (delay !== null && !state.cancelled) {
      state.retries.push({ ...contact, attempt: contact.attempt + 1, notBefore: Date.now() + delay * 60_000 });
    }
  };

  const startCall = async (contact: PendingRetry) => {
    const callId = uuid4();
    state.dialled++;
    startedThisRun++;
    const handle: ChildWorkflowHandle<typeof callWorkflow> = await startChild(callWorkflow, {
      workflowId: `call-${callId}`,
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
          ...(settings.callTiming ? { timing: settings.callTiming } : {}),
        },
      ],
    });
    const done = handle.result().then(
      (result) => onCallFinished(contact, result),
      () => onCallFinished(contact, { ...failedResult(callId, contact) }),
    );
    inFlight.set(callId, done.finally(() => inFlight.delete(callId)));
  };

  /** The next contact to dial now, or undefined when nothing is due. */
  const nextDue = async (): Promise<PendingRetry | undefined> => {
    const now = Date.now();
    const dueIndex = state.retries.findIndex((r) => r.notBefore <= now);
    if (dueIndex >= 0) return state.retries.splice(dueIndex, 1)[0];
    if (buffer.length === 0 && !state.exhausted) {
      const page = await db.loadContacts({ campaignId: input.campaignId, fromSeq: state.nextSeq, limit: PAGE_SIZE });
      if (page.length < PAGE_SIZE) state.exhausted = true;
      const last = page[page.length - 1];
      if (last) state.nextSeq = last.seq + 1;
      // A contact with a final outcome was settled by an earlier run (before a restart).
      buffer.push(...page.filter((c) => c.finalOutcome === null));
    }
    const contact = buffer.shift();
    return contact && { ...contact, attempt: 1, notBefore: now };
  };

  const minGapMs = 1000 / Math.max(settings.callsPerSecond, 0.001);
  while (!state.cancelled) {
    await condition(() => !state.paused || state.cancelled);
    if (state.cancelled) break;
    if (startedThisRun >= CHILDREN_PER_RUN) break;
    await condition(() => inFlight.size < settings.maxConcurrentCalls || state.cancelled || state.paused);
    if (state.cancelled || state.paused) continue;

    const contact = await nextDue();
    if (!contact) {
      if (state.exhausted && state.retries.length === 0 && inFlight.size === 0) break;
      const nextRetryAt = Math.min(...state.retries.map((r) => r.notBefore));
      const size = inFlight.size;
      const wake = () => state.cancelled || inFlight.size !== size;
      if (Number.isFinite(nextRetryAt)) await condition(wake, Math.max(nextRetryAt - Date.now(), 1));
      else await condition(wake);
      continue;
    }
    // Pacing: calls-per-second is a floor on the gap between two dials, kept across pause/resume.
    const gap = lastStartMs + minGapMs - Date.now();
    if (gap > 0) await sleep(gap);
    lastStartMs = Date.now();
    await startCall(contact);
  }

  // Continue-as-new only with no children in flight, so every call's result is seen by some run.
  await Promise.all(inFlight.values());
  if (!state.cancelled && (startedThisRun >= CHILDREN_PER_RUN || workflowInfo().continueAsNewSuggested)) {
    await continueAsNew<typeof campaignWorkflow>({ ...input, state: { ...state, retries: [...state.retries] } });
  }
  if (state.cancelled) {
    await db.cancelRemainingContacts({ campaignId: input.campaignId });
    await db.setCampaignStatus({ campaignId: input.campaignId, from: ['running', 'paused', 'cancelling'], to: 'cancelled' });
  } else {
    await db.setCampaignStatus({ campaignId: input.campaignId, from: ['running', 'paused'], to: 'completed' });
  }
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
