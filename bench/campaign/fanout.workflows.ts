import {
  ParentClosePolicy,
  condition,
  continueAsNew,
  defineSignal,
  defineUpdate,
  proxyLocalActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { FloorActivities } from './floor.activities';

/** Bench-only: the floor a campaign is compared with, a parent starting no-op children. */
export async function noopChild(): Promise<void> {
  // Nothing: the cost measured is starting, running and reporting a child workflow.
}

export const conversationTurnUpdate = defineUpdate<string, [string]>('conversationTurn');
export const callEndedSignal = defineSignal('callEnded');

// The cheapest dial Temporal offers: a local activity records one marker, no activity task.
const { placeCall } = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '1 minute' });

/**
 * Bench-only: the least an answered call under the contract does. A dial (a local activity
 * making no request), then one conversation turn as an update and the provider's end webhook as a
 * signal, both sent straight to the workflow (no HTTP, inbox, database or flow machine). A real call
 * adds the DNC precheck, the AMD wait, more turns and the result's write.
 */
export async function minimalCall(): Promise<void> {
  let ended = false;
  setHandler(conversationTurnUpdate, (utterance) => (utterance === 'evet' ? 'YES' : 'UNKNOWN'));
  setHandler(callEndedSignal, () => {
    ended = true;
  });
  await placeCall();
  await condition(() => ended);
}

export interface FanoutInput {
  count: number;
  window: number;
  perRun: number;
  started?: number;
  child?: 'noopChild' | 'minimalCall';
}

/** Same shape as the campaign: a sliding window of ABANDON children, continue-as-new per batch. */
export async function fanoutParent(input: FanoutInput): Promise<void> {
  let started = input.started ?? 0;
  let inFlight = 0;
  let startedThisRun = 0;
  const { workflowId } = workflowInfo();
  const start = async (n: number) => {
    const handle = await startChild(input.child ?? 'noopChild', {
      workflowId: `${workflowId}-child-${n}`,
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    void handle.result().finally(() => inFlight--);
  };
  while (started < input.count && startedThisRun < input.perRun) {
    await condition(() => inFlight < input.window);
    // As many starts per workflow task as the window allows, as the campaign does.
    const n = Math.min(input.window - inFlight, input.count - started, input.perRun - startedThisRun);
    const batch = Array.from({ length: n }, (_, i) => started + i);
    started += n;
    startedThisRun += n;
    inFlight += n;
    await Promise.all(batch.map(start));
  }
  await condition(() => inFlight === 0);
  if (started < input.count) await continueAsNew<typeof fanoutParent>({ ...input, started });
}
