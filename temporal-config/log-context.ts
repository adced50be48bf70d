/**
 * The Temporal header that carries an HTTP request's id, and the call it concerns, from the API's
 * client into workflows, their children and activities, so that their log lines name it.
 */
export const LOG_CONTEXT_HEADER = 'outdial-log-context';

/** What every workflow and activity log line of a call carries beside the SDK's own fields. */
export interface LogContext {
  requestId?: string;
  tenantId?: string;
  campaignId?: string;
  callId?: string;
}

/** The call or campaign a workflow id names (`call-<callId>`, `campaign-<campaignId>`). */
export function idsOfWorkflowId(workflowId: string | undefined): Pick<LogContext, 'callId' | 'campaignId'> {
  if (workflowId?.startsWith('call-')) return { callId: workflowId.slice('call-'.length) };
  if (workflowId?.startsWith('campaign-')) return { campaignId: workflowId.slice('campaign-'.length) };
  return {};
}
