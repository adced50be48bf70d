import type { Migration } from 'kysely';
import * as initial from './2026_11_22_0001_initial';
import * as campaignSources from './2026_11_22_0002_campaign_sources';
import * as inboxDeliverySchedule from './2026_11_22_0003_inbox_delivery_schedule';
import * as importStorage from './2026_11_22_0004_import_storage';
import * as contactRetries from './2026_11_22_0005_contact_retries';
import * as callMatchFunction from './2026_11_22_0006_call_match_function';
import * as inboxStoreFunction from './2026_11_22_0007_inbox_store_function';
import * as contactResults from './2026_11_22_0008_contact_results';
import * as usersSessions from './2026_12_06_0009_users_sessions';
import * as campaignWizard from './2026_12_06_0010_campaign_wizard';
import * as consoleViews from './2026_12_07_0011_console_views';
import * as unambiguousPhoneMatch from './2026_12_07_0012_unambiguous_phone_match';
import * as rowLevelSecurity from './2026_12_07_0013_row_level_security';
import * as tenantQuotas from './2026_12_07_0014_tenant_quotas';
import * as inboxRetention from './2026_12_07_0015_inbox_retention';
import * as campaignWorkflowPending from './2026_12_07_0016_campaign_workflow_pending';
import * as callTransfers from './2026_12_07_0017_call_transfers';

/** Listed explicitly (not read from disk) so the migrator works the same from any entry point. */
export const migrations: Record<string, Migration> = {
  '2026_11_22_0001_initial': initial,
  '2026_11_22_0002_campaign_sources': campaignSources,
  '2026_11_22_0003_inbox_delivery_schedule': inboxDeliverySchedule,
  '2026_11_22_0004_import_storage': importStorage,
  '2026_11_22_0005_contact_retries': contactRetries,
  '2026_11_22_0006_call_match_function': callMatchFunction,
  '2026_11_22_0007_inbox_store_function': inboxStoreFunction,
  '2026_11_22_0008_contact_results': contactResults,
  '2026_12_06_0009_users_sessions': usersSessions,
  '2026_12_06_0010_campaign_wizard': campaignWizard,
  '2026_12_07_0011_console_views': consoleViews,
  '2026_12_07_0012_unambiguous_phone_match': unambiguousPhoneMatch,
  '2026_12_07_0013_row_level_security': rowLevelSecurity,
  '2026_12_07_0014_tenant_quotas': tenantQuotas,
  '2026_12_07_0015_inbox_retention': inboxRetention,
  '2026_12_07_0016_campaign_workflow_pending': campaignWorkflowPending,
  '2026_12_07_0017_call_transfers': callTransfers,
};
