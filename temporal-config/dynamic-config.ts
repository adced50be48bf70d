/**
 * Dev-server dynamic config. Outdial relies on Updates (flow turns) and on upserting search
 * attributes from workflows; the limits below keep the dev server close to Temporal Cloud defaults.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Record<string, string | number | boolean> = {
  'frontend.enableUpdateWorkflowExecution': true,
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted': true,
  'frontend.workerVersioningDataAPIs': true,
  'limit.maxIDLength': 255,
  'history.maximumSignalsPerExecution': 10_000,
};

export function devServerDynamicConfigArgs(): string[] {
  return Object.entries(DEV_SERVER_DYNAMIC_CONFIG).flatMap(([key, value]) => [
    '--dynamic-config-value',
    `${key}=${JSON.stringify(value)}`,
  ]);
}
