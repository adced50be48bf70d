import { getExternalWorkflowHandle, patched } from '@temporalio/workflow';
import type { CallWorkflowInput, CallWorkflowResult } from './call.messages';
import { callEndedSignal } from './campaign.messages';
import { campaignWorkflowId } from './workflow-ids';

/**
 * Since this patch a campaign's call tells its campaign it ended, so a campaign run can continue as
 * new while calls are live: the run that started a call may be gone when it ends.
 */
export const CALL_REPORTS_END_PATCH = 'call-reports-end-to-campaign';

export async function reportEndToCampaign(
  input: CallWorkflowInput,
  result: CallWorkflowResult,
): Promise<void> {
  // A test call belongs to no contact, and no campaign run waits for it.
  if (input.contactId === null || !patched(CALL_REPORTS_END_PATCH)) return;
  try {
    await getExternalWorkflowHandle(campaignWorkflowId(input.campaignId)).signal(callEndedSignal, result);
  } catch {
    // The campaign has ended (cancelled, or settled without this call): nobody is waiting for it.
  }
}
