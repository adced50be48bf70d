import { ParentClosePolicy, condition, continueAsNew, startChild, workflowInfo } from '@temporalio/workflow';

/** Bench-only: the floor a campaign is compared with, a parent starting no-op children. */
export async function noopChild(): Promise<void> {
  // Nothing: the cost measured is starting, running and reporting a child workflow.
}

export interface FanoutInput {
  count: number;
  window: number;
  perRun: number;
  started?: number;
}

/** Same shape as the campaign: a sliding window of ABANDON children, continue-as-new per batch. */
export async function fanoutParent(input: FanoutInput): Promise<void> {
  let started = input.started ?? 0;
  let inFlight = 0;
  let startedThisRun = 0;
  const { workflowId } = workflowInfo();
  const start = async (n: number) => {
    const handle = await startChild(noopChild, {
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
