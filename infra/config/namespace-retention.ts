import type { Client } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';

/** What the embedded engines keep a closed workflow for, unless TEMPORAL_RETENTION_DAYS says. */
export const EMBEDDED_RETENTION_DAYS = 7;

/**
 * Sets how long Temporal keeps the namespace's closed workflows: without it the history of every
 * call ever made stays. An operator reads a finished call in the Temporal UI within this time;
 * after it, the call's record in Postgres remains.
 */
export async function applyNamespaceRetention(client: Client, days: number): Promise<void> {
  await client.workflowService.updateNamespace({
    namespace: client.options.namespace,
    config: { workflowExecutionRetentionTtl: msToTs(`${days} days`) },
  });
}

export async function namespaceRetentionDays(client: Client): Promise<number> {
  const described = await client.workflowService.describeNamespace({ namespace: client.options.namespace });
  return Number(described.config?.workflowExecutionRetentionTtl?.seconds ?? 0) / 86_400;
}
