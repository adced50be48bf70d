import { condition, continueAsNew, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { nextAttempt } from '../domain/retry-policy';
import { campaignRecordPolicy } from './activity-policies';
import { CallStarter } from './campaign-call-starter';
import { ContactSource } from './campaign-contact-source';
import { Pacer } from './campaign-pacer';
import {
  callEndedSignal,
  campaignProgressQuery,
  cancelCampaignSignal,
  pauseCampaignSignal,
  resumeCampaignSignal,
  type CampaignProgress,
  type CampaignWorkflowInput,
} from './campaign.messages';

/** Children started per run before continuing as new, far below the history limits. */
const CHILDREN_PER_RUN = 1000;
/**
 * Since this patch a run continues as new with its calls still live, handing them to the next run,
 * which hears their end as signals: before it every run waited for its last call, and no campaign
 * could hold more calls at once than one run starts.
 */
export const CARRY_LIVE_CALLS_PATCH = 'campaign-carries-live-calls';

const db = campaignRecordPolicy;

export async function campaignWorkflow(input: CampaignWorkflowInput): Promise<void> {
  const { campaignId, settings } = input;
  const childrenPerRun = input.childrenPerRun ?? CHILDREN_PER_RUN;
  const carried = input.state;
  const run: CampaignRun = {
    paused: carried?.paused ?? false,
    cancelled: carried?.cancelled ?? false,
    finished: false,
    completed: carried?.completed ?? 0,
    dialled: carried?.dialled ?? 0,
    runs: (carried?.runs ?? 0) + 1,
  };
  const contacts = new ContactSource(campaignId, db, carried?.contacts);
  const pacer = new Pacer(settings, carried?.lastStartMs ?? 0);
  const calls = new CallStarter(
    input,
    db,
    (attempt, result) => {
      run.completed++;
      // A cancelled campaign dials no one again; its contacts are settled when it ends.
      if (run.cancelled) return;
      const next = nextAttempt(result, attempt.attempt, attempt.followups, settings.retry, Date.now());
      if (next) contacts.retryLater(attempt, next);
    },
    carried?.live,
  );

  setHandler(pauseCampaignSignal, () => void (run.paused = true));
  setHandler(resumeCampaignSignal, () => void (run.paused = false));
  setHandler(cancelCampaignSignal, () => void (run.cancelled = true));
  setHandler(callEndedSignal, (result) => calls.ended(result));
  setHandler(campaignProgressQuery, (): CampaignProgress => ({
    campaignId,
    status: statusOf(run),
    inFlight: calls.inFlight,
    dialled: run.dialled,
    completed: run.completed,
    pendingRetries: contacts.pending,
    nextSeq: contacts.nextSeq,
    runs: run.runs,
  }));

  const stopping = () =>
    run.cancelled || calls.startedThisRun >= childrenPerRun || workflowInfo().continueAsNewSuggested;
  const allDone = () => contacts.done && calls.inFlight === 0;

  if (!carried) await contacts.findWaiting();

  for (;;) {
    await condition(() => stopping() || (!run.paused && calls.inFlight < settings.maxConcurrentCalls));
    if (stopping()) break;

    // A pause or cancel during the wait for the rate or the calling window is honoured before dialing.
    const wait = pacer.msUntilNextDial();
    if (wait > 0) {
      await condition(() => run.cancelled || run.paused, wait);
      continue;
    }

    await contacts.refresh();
    if (run.paused || run.cancelled) continue;
    const batch = contacts.takeDue(
      Math.min(
        settings.maxConcurrentCalls - calls.inFlight,
        pacer.burst,
        childrenPerRun - calls.startedThisRun,
      ),
    );
    if (batch.length === 0) {
      if (allDone()) break;
      // Woken by a call's end (a free slot, perhaps a retry to store) or when a retry falls due.
      const size = calls.inFlight;
      const wake = () => run.cancelled || calls.inFlight !== size || contacts.hasUnstored;
      const due = contacts.nextDueAt;
      if (due === null) await condition(wake);
      else await condition(wake, Math.max(due - Date.now(), 1));
      continue;
    }
    pacer.spend(batch.length);
    run.dialled += batch.length;
    await Promise.all(batch.map((attempt) => calls.start(attempt)));
  }

  // Live calls go on to the next run, which hears their end; before the patch each run waited for its last.
  const carriesLiveCalls = !run.cancelled && !allDone() && patched(CARRY_LIVE_CALLS_PATCH);
  if (!carriesLiveCalls) await condition(() => calls.inFlight === 0);
  await contacts.storeRetries();
  // A carried call may end while the retries are written: its next attempt is written too.
  while (carriesLiveCalls && contacts.hasUnstored) await contacts.storeRetries();
  if (!run.cancelled && !allDone()) {
    await continueAsNew<typeof campaignWorkflow>({
      ...input,
      state: {
        paused: run.paused,
        cancelled: run.cancelled,
        completed: run.completed,
        dialled: run.dialled,
        runs: run.runs,
        lastStartMs: pacer.lastStartMs,
        contacts: contacts.carryOver(),
        ...(carriesLiveCalls ? { live: calls.carryOver(Date.now()) } : {}),
      },
    });
  }
  if (run.cancelled) await settleCancelled(campaignId, contacts.dropTaken());
  else await settleCompleted(campaignId);
  run.finished = true;
}

interface CampaignRun {
  paused: boolean;
  cancelled: boolean;
  /** The campaign is settled: this run is its last. */
  finished: boolean;
  completed: number;
  dialled: number;
  runs: number;
}

function statusOf(run: CampaignRun): CampaignProgress['status'] {
  if (run.cancelled) return run.finished ? 'cancelled' : 'cancelling';
  if (run.finished) return 'completed';
  return run.paused ? 'paused' : 'running';
}

/** Every contact not yet settled, those whose attempt this run took and never dialled included, is cancelled. */
async function settleCancelled(campaignId: string, takenNotDialled: string[]): Promise<void> {
  await db.settleUnfinishedContacts({
    campaignId,
    awaitingRetry: takenNotDialled,
    status: 'cancelled',
    outcome: 'cancelled',
  });
  await db.setCampaignStatus({ campaignId, from: ['running', 'paused', 'cancelling'], to: 'cancelled' });
}

async function settleCompleted(campaignId: string): Promise<void> {
  // A contact still without an outcome had a call workflow that failed or was terminated.
  await db.settleUnfinishedContacts({ campaignId, awaitingRetry: [], status: 'failed', outcome: 'failed' });
  await db.setCampaignStatus({ campaignId, from: ['running', 'paused'], to: 'completed' });
}
