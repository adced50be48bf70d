import { setHandler } from '@temporalio/workflow';
import { reportEndToCampaign } from './call-end-report';
import { CallSession } from './call-session';
import {
  callAliveProbeSignal,
  callViewQuery,
  flowTurnUpdate,
  flowViewQuery,
  hangupSignal,
  providerFactsSignal,
  type CallWorkflowInput,
  type CallWorkflowResult,
  type FlowTurnRequest,
} from './call.messages';

/**
 * One call attempt: reserve its row, wait until it may be dialled, dial once, follow the call to its
 * end while the conversation's turns arrive as updates, and write the final record.
 */
export async function callWorkflow(input: CallWorkflowInput): Promise<CallWorkflowResult> {
  const call = new CallSession(input);
  // Registered before the first await so no early webhook is lost.
  setHandler(providerFactsSignal, (facts) => call.state.add(...facts));
  setHandler(hangupSignal, ({ by }) => call.requestHangUp(by));
  setHandler(callViewQuery, () => call.state.view());
  setHandler(flowTurnUpdate, (request) => call.flow.handle(request), {
    validator: (request: FlowTurnRequest) => call.flow.validate(request),
  });
  setHandler(flowViewQuery, () => call.flow.view());
  // A campaign run checking on a call that has been silent for long only needs the signal delivered.
  setHandler(callAliveProbeSignal, () => {});
  call.state.publish();

  await call.reserve();
  if ((await call.clearedToDial()) && (await call.dial())) await call.followToEnd();
  const result = await call.finish();
  await reportEndToCampaign(input, result);
  return result;
}
