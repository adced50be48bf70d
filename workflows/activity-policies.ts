import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

/**
 * How the workflows run each of their activities: timeouts and retries, named by what they are
 * for. Which activity goes through which policy is decided here and nowhere else.
 */

/** Never retried: a second dial could ring the person twice. An unknown result is reconciled. */
export const dialPolicy = proxyActivities<Pick<Activities, 'placeCall'>>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 1 },
});

/** Hang-ups and lookups at the provider: safe to repeat, and the workflow copes when all tries fail. */
export const providerPolicy = proxyActivities<Pick<Activities, 'hangUpCall' | 'lookupProviderCall'>>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3, initialInterval: '2 seconds' },
});

/** A transfer's originate: repeating it is refused by the provider, so a few tries are safe. */
export const transferPolicy = proxyActivities<Pick<Activities, 'transferCall'>>({
  startToCloseTimeout: '15 seconds',
  retry: {
    maximumAttempts: 3,
    initialInterval: '1 second',
    nonRetryableErrorTypes: ['ProviderNotConfigured'],
  },
});

/**
 * The call's short Postgres reads and writes run as local activities: inside the workflow task that
 * needs them, without an activity task's round trips through the server, which cost as much as the
 * call's other work together. Each is idempotent, so a re-run after a lost workflow task is harmless.
 */
export const recordPolicy = proxyLocalActivities<
  Pick<Activities, 'reserveCallAttempt' | 'recordCallState' | 'finalizeCall'>
>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5, initialInterval: '1 second' },
});

/**
 * A slot of the tenant's concurrent-call limit: tried again while every slot is held, never given
 * up, so the call (and its campaign's slot) waits for a line rather than fails. Retries leave no
 * events in the history; each try is one short Postgres transaction.
 */
export const dialSlotPolicy = proxyActivities<Pick<Activities, 'claimDialSlot' | 'releaseDialSlot'>>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 1.5, maximumInterval: '5 seconds' },
});

/** The Do-Not-Call precheck fails closed, so it gives up sooner than the records do. */
export const dncCheckPolicy = proxyLocalActivities<Pick<Activities, 'checkDoNotCall'>>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3, initialInterval: '500 milliseconds' },
});

/**
 * The precheck as calls since the dnc-check-waits patch run it: still fail-closed, but tried for
 * about twenty seconds first, so a Postgres restart delays the dial instead of closing the contact as
 * blocked (the fault suite found that a 3-second restart blocked every call whose precheck fell in it).
 */
export const dncCheckWaitPolicy = proxyLocalActivities<Pick<Activities, 'checkDoNotCall'>>({
  startToCloseTimeout: '10 seconds',
  // Eight tries over about 22 seconds (0.5, 1, 2, 4, then every 5 s).
  retry: { maximumAttempts: 8, initialInterval: '500 milliseconds', maximumInterval: '5 seconds' },
});

/**
 * A turn's writes (do-not-call, callback, follow-up) run after its answer is returned, as activities:
 * a local activity would hold its workflow task, and with it the answer, until it ends. Each write is
 * idempotent and retried until it succeeds; the final record waits for them.
 */
export const turnWritePolicy = proxyActivities<
  Pick<Activities, 'addCallerToDoNotCall' | 'createCallback' | 'scheduleFollowup'>
>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '30 seconds' },
});

/** One try, as a local activity: the person is waiting, and keywords label the turn when the model cannot. */
export const labelModelPolicy = proxyLocalActivities<Pick<Activities, 'labelAnswer'>>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 1 },
});

/** The campaign's reads and writes of its contact rows: idempotent, retried until Postgres answers. */
export const campaignRecordPolicy = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
