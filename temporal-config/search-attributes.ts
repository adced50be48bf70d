import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The one definition of Outdial's custom search attributes. The dev-server launcher registers
 * them, tests start the server with them and workflows upsert them by these keys.
 */
export const TenantIdAttr = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const CampaignIdAttr = defineSearchAttributeKey('CampaignId', SearchAttributeType.KEYWORD);
export const CallStatusAttr = defineSearchAttributeKey('CallStatus', SearchAttributeType.KEYWORD);
export const CallOutcomeAttr = defineSearchAttributeKey('CallOutcome', SearchAttributeType.KEYWORD);
export const CallLabelAttr = defineSearchAttributeKey('CallLabel', SearchAttributeType.KEYWORD);
export const ProviderAttr = defineSearchAttributeKey('Provider', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [
  TenantIdAttr,
  CampaignIdAttr,
  CallStatusAttr,
  CallOutcomeAttr,
  CallLabelAttr,
  ProviderAttr,
] as const;

/** `--search-attribute Name=Keyword` arguments for `temporal server start-dev`. */
export function devServerSearchAttributeArgs(): string[] {
  return SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]);
}
