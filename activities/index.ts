import type { Database } from '../schema/database';
import { createCallActivities } from './call.activities';
import { createCampaignActivities } from './campaign.activities';
import { createFlowActivities } from './flow.activities';
import type { ProviderRegistry } from './providers/registry';

export interface ActivityDeps {
  db: Database;
  providers: ProviderRegistry;
}

/** Every activity the worker registers; workflows type their proxies from this. */
export function createActivities(deps: ActivityDeps) {
  return { ...createCallActivities(deps), ...createCampaignActivities(deps), ...createFlowActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
