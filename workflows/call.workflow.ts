import {
  ApplicationFailure,
  ActivityFailure,
  allHandlersFinished,
  condition,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CallFact } from '../domain/call-facts';
import { msUntilWindowOpens } from '../domain/calling-window';
import { CallErrorType } from '../domain/errors';
import type { CallResolution } from '../domain/outcome-reducer';
import { CallLabelAttr, CallOutcomeAttr, CallStatusAttr } from '../temporal-config/search-attributes';
import { CallFacts } from './call-state';
import { CallFlow } from './call-flow';
import {
  callViewQuery,
  flowTurnUpdate,
  flowViewQuery,
  hangupSignal,
  providerEventSignal,
  type CallTiming,
  type CallWorkflowInput,
  type CallWorkflowResult,
  type FlowTurnRequest,
} from './call.messages';

const DEFAULT_TIMING: CallTiming = {
  ringingTimeoutSeconds: 30,
  maxCallSeconds: 15 * 60,
  reconcileSeconds: 60,
  pollIntervalSeconds: 30,
  pollAttempts: 10,
};

const db = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5, initialInterval: '1 second' },
});

const dncCheck = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3, initialInterval: '500 milliseconds' },
  summary: 'Do-Not-Call precheck',
});

// Never retried: a second dial could ring the person twice. An unknown result is reconciled.
const dial = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 1 },
  summary: 'Dial through the provider',
});

const provider = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3, initialInterval: '2 seconds' },
});

export async function callWorkflow(input: CallWorkflowInput): Promise<CallWorkflowResult> {
  const timing = { ...DEFAULT_TIMING, ...input.timing };
  const facts = new CallFacts();
  let waitingFor = 'the Do-Not-Call precheck';
  let publishedStatus = '';
  let publishedOutcome = '';
  let publishedLabel = '';

  const describe = (what: string) => {
    waitingFor = what;
    setCurrentDetails(`**Waiting for** ${what}\n\nStatus: ${facts.resolution.status}`);
  };

  /** Mirrors the resolution into the search attributes operators filter on. */
  const publish = (resolution: CallResolution) => {
    const updates = [];
    if (resolution.status !== publishedStatus) updates.push({ key: CallStatusAttr, value: resolution.status });
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
  };

  const now = () => new Date(Date.now()).toISOString();
  const addFact = (fact: CallFact) => {
    if (facts.add(fact)) publish(facts.resolution);
  };

  // Registered before the first await so no early webhook is lost.
  setHandler(providerEventSignal, addFact);
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
  const flow = new CallFlow(input, { addFact, callEnded: () => facts.resolution.final });
  setHandler(flowTurnUpdate, (request) => flow.handle(request), {
    validator: (request: FlowTurnRequest) => flow.validate(request),
  });
  setHandler(flowViewQuery, () => flow.view());
  publish(facts.resolution);

  await db.reserveCallAttempt({
    callId: input.callId,
    tenantId: input.tenantId,
    campaignId: input.campaignId,
    contactId: input.contactId,
    attempt: input.attempt,
    toNumber: input.toNumber,
    provider: input.provider,
    workflowId: workflowInfo().workflowId,
  });

  if (await isBlockedByDnc(input)) {
    addFact({ kind: 'dnc_blocked', key: 'dnc_blocked', at: now(), reason: 'number is on the Do-Not-Call list' });
    return finish(input, facts, flow);
  }

  // Wait for the called party's calling window, and check again right before dialing.
  for (;;) {
    const wait = msUntilWindowOpens(Date.now(), input.callingWindow, input.timezone);
    if (wait === 0) break;
    describe(`the calling window (${input.callingWindow.start}-${input.callingWindow.end} ${input.timezone})`);
    await condition(() => facts.has('hangup_requested'), wait, { summary: 'calling window' });
    if (facts.has('hangup_requested')) {
      addFact({ kind: 'cancelled', key: 'cancelled', at: now(), reason: 'hung up before dialing' });
      return finish(input, facts, flow);
    }
  }

  describe('the provider to accept the dial');
  const dialled = await placeCall(input, timing, facts, addFact, now, flow);
  if (dialled) {
    await db.recordCallState({ callId: input.callId, newFacts: facts.takeUnsaved(), state: facts.resolution });
    await followCall(input, timing, facts, addFact, describe);
  }
  return finish(input, facts, flow);
}

/** Fail-closed: a number we cannot check is a number we do not dial. */
async function isBlockedByDnc(input: CallWorkflowInput): Promise<boolean> {
  try {
    return await dncCheck.checkDoNotCall({ tenantId: input.tenantId, phone: input.toNumber });
  } catch (error) {
    log.warn('DNC list unreadable, not dialing', { error: String(error) });
    return true;
  }
}

/** Places the call at most once. Returns false when no call exists. */
async function placeCall(
  input: CallWorkflowInput,
  timing: CallTiming,
  facts: CallFacts,
  addFact: (fact: CallFact) => void,
  now: () => string,
  flow: CallFlow,
): Promise<boolean> {
  try {
    const { providerCallId } = await dial.placeCall({
      provider: input.provider,
      request: {
        callId: input.callId,
        toNumber: input.toNumber,
        variables: { ...input.variables, ...(input.name ? { name: input.name } : {}) },
        firstMessage: flow.openingForDial(),
        language: input.language,
        ringingTimeoutSeconds: timing.ringingTimeoutSeconds,
      },
    });
    addFact({ kind: 'dial_accepted', key: `dial_accepted:${input.callId}`, at: now(), provider: input.provider, providerCallId });
    return true;
  } catch (error) {
    const cause = error instanceof ActivityFailure ? error.cause : error;
    const type = cause instanceof ApplicationFailure ? cause.type : undefined;
    if (type === CallErrorType.DialRejected || type === CallErrorType.ProviderNotConfigured) {
      addFact({ kind: 'dial_rejected', key: 'dial_rejected', at: now(), reason: messageOf(cause) });
      return false;
    }
    return reconcileUnknownDial(input, timing, facts, addFact, now, messageOf(cause));
  }
}

/** The provider may or may not have the call: wait for its webhooks, then ask it. Never re-dial. */
async function reconcileUnknownDial(
  input: CallWorkflowInput,
  timing: CallTiming,
  facts: CallFacts,
  addFact: (fact: CallFact) => void,
  now: () => string,
  reason: string,
): Promise<boolean> {
  const heardFromProvider = () => facts.all().some((f) => f.kind !== 'hangup_requested');
  await condition(heardFromProvider, timing.reconcileSeconds * 1000, { summary: 'reconcile unknown dial' });
  if (!heardFromProvider()) {
    const snapshot = await provider.lookupProviderCall({ provider: input.provider, callId: input.callId });
    facts.addAll(snapshot.facts);
  }
  if (heardFromProvider()) return true;
  addFact({ kind: 'dial_unknown', key: 'dial_unknown', at: now(), reason: `no call found at the provider (${reason})` });
  return false;
}

/** Waits for the provider's end of the call, the AMD grace and, when webhooks go missing, polls. */
async function followCall(
  input: CallWorkflowInput,
  timing: CallTiming,
  facts: CallFacts,
  addFact: (fact: CallFact) => void,
  describe: (what: string) => void,
): Promise<void> {
  let hangupSent = false;
  const hangupPending = () => facts.has('hangup_requested') && !hangupSent;
  describe('the call to end');
  const deadline = Date.now() + (timing.ringingTimeoutSeconds + timing.maxCallSeconds + 60) * 1000;
  while (!facts.resolution.final && Date.now() < deadline) {
    await condition(() => facts.resolution.final || hangupPending(), deadline - Date.now());
    if (hangupPending()) {
      hangupSent = true;
      const providerCallId = facts.resolution.providerCallId;
      if (providerCallId) await provider.hangUpCall({ provider: input.provider, providerCallId });
    }
  }

  // ElevenLabs sends each webhook once: when the end never arrived, ask the provider.
  for (let poll = 0; !facts.resolution.final && poll < timing.pollAttempts; poll++) {
    describe('the provider to report the end of the call (polling)');
    const snapshot = await provider.lookupProviderCall({
      provider: input.provider,
      callId: input.callId,
      providerCallId: facts.resolution.providerCallId ?? undefined,
    });
    for (const fact of snapshot.facts) addFact(fact);
    if (!facts.resolution.final) await sleep(timing.pollIntervalSeconds * 1000);
  }
  if (!facts.resolution.final) {
    addFact({
      kind: 'dial_unknown',
      key: 'final_data_missing',
      at: new Date(Date.now()).toISOString(),
      reason: 'the provider never reported the end of the call',
    });
  }

  // AMD may land after the provider's end webhook (seed 001 §A10.4); give it a moment.
  if (input.amd.enabled && !facts.has('amd') && facts.resolution.answeredAt !== null) {
    describe('a pending answering-machine detection result');
    await condition(() => facts.has('amd'), input.amd.graceSeconds * 1000, { summary: 'AMD grace period' });
  }
}

async function finish(input: CallWorkflowInput, facts: CallFacts, flow: CallFlow): Promise<CallWorkflowResult> {
  // A turn still executing its actions finishes first: its facts belong in the final record.
  await condition(allHandlersFinished);
  const resolution = facts.resolution;
  setCurrentDetails(`**Finished**: ${resolution.status} / ${resolution.outcome ?? 'no outcome'}`);
  facts.takeUnsaved();
  await db.finalizeCall({
    callId: input.callId,
    contactId: input.contactId,
    attempt: input.attempt,
    facts: facts.all(),
    state: resolution,
  });
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
