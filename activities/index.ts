import type { LabelModel } from '../domain/classifier';
import type { AppConfig } from '../infra/config/config';
import type { Database } from '../schema/database';
import { createCallActivities } from './call.activities';
import { createCampaignActivities } from './campaign.activities';
import { createFlowActivities } from './flow.activities';
import { labelModelFromConfig } from './label-model';
import { providersFromConfig } from './providers/from-config';
import type { ProviderRegistry } from './providers/registry';

export interface ActivityDeps {
  db: Database;
  providers: ProviderRegistry;
  /** LLM_LABEL_ONLY campaigns' model; absent, their turns are labelled by keywords. */
  labelModel?: LabelModel;
}

/** What the activities talk to, as the environment configures it. */
export function activityDepsFromConfig(db: Database, config: AppConfig): ActivityDeps {
  const labelModel = labelModelFromConfig(config);
  return { db, providers: providersFromConfig(config), ...(labelModel ? { labelModel } : {}) };
}

/** Every activity the worker registers; workflows type their proxies from this. */
export function createActivities(deps: ActivityDeps) {
  return { ...createCallActivities(deps), ...createCampaignActivities(deps), ...createFlowActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
