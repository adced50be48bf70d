import { proxyActivities } from '@temporalio/workflow';
import type { callWorkflow as realCallWorkflow } from '../../workflows/call.workflow';
import { reportEndToCampaign } from '../../workflows/call-end-report';

/**
 * The bundle entry of campaign-mocked.test.ts: the real campaign workflow, and under the call
 * workflow's name a stand-in whose whole call is one activity the test implements, reporting its end
 * to the campaign as the real call does. The campaign starts its children by that name, so it runs
 * unchanged against calls the test controls.
 */
export { campaignWorkflow } from '../../workflows/campaign.workflow';

type CallInput = Parameters<typeof realCallWorkflow>[0];
type CallResult = Awaited<ReturnType<typeof realCallWorkflow>>;

export interface FakeCallActivities {
  fakeCall(input: CallInput): Promise<CallResult>;
}

const { fakeCall } = proxyActivities<FakeCallActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 1 },
});

export async function callWorkflow(input: CallInput): Promise<CallResult> {
  const result = await fakeCall(input);
  // As the real call does, so a run that continued as new hears the end of a call it carried.
  await reportEndToCampaign(input, result);
  return result;
}
