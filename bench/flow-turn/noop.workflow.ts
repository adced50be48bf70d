import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

/** Bench-only: the cheapest possible update, to compare a flow turn against. Not in workflows/index.ts. */
export const noopUpdate = defineUpdate<string, [string]>('noop');

export async function benchNoopWorkflow(): Promise<void> {
  let done = false;
  setHandler(noopUpdate, (value) => value);
  await condition(() => done);
  done = true;
}
