import {
  allHandlersFinished,
  condition,
  patched,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CallFact } from '../domain/call-facts';
import type { CallResolution } from '../domain/outcome-reducer';
import { maskPhone } from '../domain/phone';
import { CallLabelAttr, CallOutcomeAttr, CallStatusAttr } from '../temporal-config/search-attributes';
import { dialOnce, passDialGates } from './call-dial';
import { followCall } from './call-ending';
import { CallFacts, type CallRun } from './call-state';
import { CallFlow } from './call-flow';
import { PATCHES } from './patches';
import { callRecordActivities } from './call-records';
import {
  callViewQuery,
  flowTurnUpdate,
  flowViewQuery,
  hangupSignal,
  providerEventSignal,
  providerFactsSignal,
  type CallTiming,
  type CallWorkflowInput,
  type CallWorkflowResult,
  type FlowTurnRequest,
} from './call.messages';

const DEFAULT_TIMING: CallTiming = {
  ringingTimeoutSeconds: 30,
  dialTimeoutSeconds: 30,
  maxCallSeconds: 15 * 60,
  reconcileSeconds: 60,
  pollIntervalSeconds: 30,
  pollAttempts: 10,
  hangupConfirmSeconds: 15,
};

export async function callWorkflow(input: CallWorkflowInput): Promise<CallWorkflowResult> {
  const timing = { ...DEFAULT_TIMING, ...input.timing };
  const facts = new CallFacts();
  const maskedNumber = maskPhone(input.toNumber);
  let waitingFor = 'the calling window';
  let publishedStatus = '';
  let publishedOutcome = '';
  let publishedLabel = '';
  let publishedAnswered = false;
  /** Set once the call starts; see PATCHES.turnFactsPublishLater. */
  let turnsPublishLater = false;

  const describe = (what: string) => {
    waitingFor = what;
    const { status, providerCallId } = facts.resolution;
    setCurrentDetails(
      `**Waiting for** ${what}\n\nStatus: ${status} · ${maskedNumber} · ${input.provider}` +
        (providerCallId ? ` \`${providerCallId}\`` : ''),
    );
  };

  /** Mirrors the resolution into the search attributes operators filter on. */
  const publish = (resolution: CallResolution) => {
    const updates = [];
    if (resolution.status !== publishedStatus)
      updates.push({ key: CallStatusAttr, value: resolution.status });
    if ((resolution.outcome ?? '') !== publishedOutcome && resolution.outcome) {
      updates.push({ key: CallOutcomeAttr, value: resolution.outcome });
    }
    if ((resolution.label ?? '') !== publishedLabel && resolution.label) {
      updates.push({ key: CallLabelAttr, value: resolution.label });
    }
    if (updates.length > 0) upsertSearchAttributes(updates);
    publishedStatus = resolution.status;
    publishedOutcome = resolution.outcome ?? '';
    publishedLabel = resolution.label ?? '';
    publishedAnswered = resolution.answeredAt !== null;
  };

  const now = () => new Date(Date.now()).toISOString();
  const addFact = (fact: CallFact) => {
    if (facts.add(fact)) publish(facts.resolution);
  };

  // Registered before the first await so no early webhook is lost.
  setHandler(providerEventSignal, addFact);
  setHandler(providerFactsSignal, (provided) => {
    // One upsert for the whole webhook, not one per fact it tells.
    let added = false;
    for (const fact of provided) added = facts.add(fact) || added;
    if (added) publish(facts.resolution);
  });
  setHandler(hangupSignal, ({ by }) =>
    addFact({ kind: 'hangup_requested', key: 'hangup_requested', at: now(), by }),
  );
  setHandler(callViewQuery, () => ({
    callId: input.callId,
    waitingFor,
    status: facts.resolution.status,
    outcome: facts.resolution.outcome,
    label: facts.resolution.label,
    facts: facts.all(),
  }));
  const flow = new CallFlow(input, {
    addFact: (fact) => {
      // Once the call shows as answered, a turn's facts wait for the next publish.
      if (turnsPublishLater && publishedAnswered) facts.add(fact);
      else addFact(fact);
    },
    callEnded: () => facts.resolution.final,
    answered: () => facts.resolution.answeredAt !== null,
  });
  setHandler(flowTurnUpdate, (request) => flow.handle(request), {
    validator: (request: FlowTurnRequest) => flow.validate(request),
  });
  setHandler(flowViewQuery, () => flow.view());
  publish(facts.resolution);

  const records = callRecordActivities();
  turnsPublishLater = patched(PATCHES.turnFactsPublishLater);
  const run: CallRun = {
    input,
    timing,
    facts,
    records,
    maskedNumber,
    addFact,
    describe,
    now,
    publishPending: () => {
      if (turnsPublishLater) publish(facts.resolution);
    },
  };
  await records.reserveCallAttempt.executeWithOptions(
    { summary: `Reserve attempt ${input.attempt} to ${maskedNumber}` },
    [
      {
        callId: input.callId,
        tenantId: input.tenantId,
        campaignId: input.campaignId,
        contactId: input.contactId,
        attempt: input.attempt,
        toNumber: input.toNumber,
        provider: input.provider,
        workflowId: workflowInfo().workflowId,
      },
    ],
  );

  if ((await passDialGates(run)) === 'settled') return finish(run, flow);

  const dialled = await dialOnce(run, flow.openingForDial());
  if (dialled) {
    // The provider's call id on the row lets webhooks without our call id find this workflow.
    await records.recordCallState.executeWithOptions(
      { summary: `Record the call to ${maskedNumber} as ${facts.resolution.status}` },
      [{ callId: input.callId, newFacts: facts.takeUnsaved(), state: facts.resolution }],
    );
    await followCall(run, () => flow.transferRequested);
  }
  return finish(run, flow);
}

/** Writes the final call record once: the only write of the outcome. */
async function finish(run: CallRun, flow: CallFlow): Promise<CallWorkflowResult> {
  const { input, facts } = run;
  // A turn still executing its actions finishes first: its facts belong in the final record.
  await condition(allHandlersFinished);
  await flow.writesDone();
  if (flow.interrupted && patched(PATCHES.flowHangupLogsOutcome)) await flow.hangUp();
  run.publishPending();
  const resolution = facts.resolution;
  setCurrentDetails(
    `**Finished**: ${resolution.status} / ${resolution.outcome ?? 'no outcome'} · ${run.maskedNumber}` +
      (resolution.hangupCause ? `\n\n${resolution.hangupCause}` : ''),
  );
  facts.takeUnsaved();
  await run.records.finalizeCall.executeWithOptions(
    { summary: `Final record: ${resolution.status}/${resolution.outcome ?? '-'} for ${run.maskedNumber}` },
    [
      {
        callId: input.callId,
        contactId: input.contactId,
        attempt: input.attempt,
        facts: facts.all(),
        state: resolution,
      },
    ],
  );
  return {
    callId: input.callId,
    contactId: input.contactId,
    attempt: input.attempt,
    status: resolution.status,
    outcome: resolution.outcome,
    label: resolution.label,
    sipCode: resolution.sipCode,
    ...(flow.followupTime === null ? {} : { followupAt: flow.followupTime }),
  };
}
