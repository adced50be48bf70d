/**
 * The workflow ids webhooks, the API and operators find a call or a campaign by. Stable: they are
 * stored on call rows and inbox events, and a second start under the same id is refused.
 */
export function callWorkflowId(callId: string): string {
  return `call-${callId}`;
}

export function campaignWorkflowId(campaignId: string): string {
  return `campaign-${campaignId}`;
}
