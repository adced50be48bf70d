/**
 * Dev-server dynamic config. Outdial relies on Updates (flow turns) and on upserting search
 * attributes from workflows; the limits below keep the dev server close to Temporal Cloud defaults.
 */
export type DynamicConfigValues = Record<string, string | number | boolean>;

export const DEV_SERVER_DYNAMIC_CONFIG: DynamicConfigValues = {
  'frontend.enableUpdateWorkflowExecution': true,
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted': true,
  'frontend.workerVersioningDataAPIs': true,
  'limit.maxIDLength': 255,
  'history.maximumSignalsPerExecution': 10_000,
};

/** `--dynamic-config-value` arguments for the values above, with `overrides` (a test's lower limits) on top. */
export function devServerDynamicConfigArgs(overrides: DynamicConfigValues = {}): string[] {
  return Object.entries({ ...DEV_SERVER_DYNAMIC_CONFIG, ...overrides }).flatMap(([key, value]) => [
    '--dynamic-config-value',
    `${key}=${JSON.stringify(value)}`,
  ]);
}
