import { condition, log, patched, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { MANUAL_HANGUP_CAUSE } from '../domain/outcome-reducer';
import { causeOf, messageOf } from './call-dial';
import type { CallRun } from './call-state';
import { PATCHES } from './patches';

const providerActivities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3, initialInterval: '2 seconds' },
});

/** SIP 487 Request Terminated: what a CANCEL of a ringing leg produces. */
const SIP_REQUEST_TERMINATED = 487;
/** SIP 480: what a leg that rang out without an answer reports. */
const SIP_TEMPORARILY_UNAVAILABLE = 480;

/**
 * How long an Ultravox transfer may take to be confirmed after the provider's end: its confirmation
 * comes from Asterisk, independently of Ultravox's call.ended. (ElevenLabs reports a transfer in the
 * same webhook as the end, so there is nothing to wait for.)
 */
const TRANSFER_CONFIRM_SECONDS = 10;

/**
 * Follows a dialled call to its end: runs the hang-up chain when asked, waits for the provider's
 * end, polls the provider when that webhook never comes, and gives a late AMD result or transfer
 * confirmation a moment.
 */
export async function followCall(run: CallRun, transferRequested: () => boolean): Promise<void> {
  const { facts, timing } = run;
  let hangupHandled = false;
  const hangupPending = () => facts.has('hangup_requested') && !hangupHandled;
  run.describe('the call to end');
  const dialledAt = Date.now();
  const deadline = dialledAt + (timing.ringingTimeoutSeconds + timing.maxCallSeconds) * 1000;
  // The provider rings out itself; past its ringing timeout plus a margin, the workflow checks.
  const ringDeadline =
    dialledAt + (timing.ringingTimeoutSeconds + Math.min(15, timing.ringingTimeoutSeconds)) * 1000;
  let ringChecked = false;
  const answeredSkipsRingCheck =
    patched(PATCHES.turnProvesAnswer) && !patched(PATCHES.ringTimerOutlivesAnswer);
  const ringCheckMoot = () => answeredSkipsRingCheck && !ringChecked && facts.resolution.answeredAt !== null;
  while (!providerReportedEnd(run) && Date.now() < deadline) {
    const until = ringChecked ? deadline : Math.min(ringDeadline, deadline);
    await condition(
      () => providerReportedEnd(run) || hangupPending() || facts.resolution.final || ringCheckMoot(),
      Math.max(until - Date.now(), 1),
    );
    if (hangupPending()) {
      hangupHandled = true;
      await hangUp(run);
    } else if (facts.resolution.final && !providerReportedEnd(run)) {
      await settledBeforeProviderEnd(run);
      break;
    } else if (ringCheckMoot()) {
      ringChecked = true;
    } else if (!ringChecked && Date.now() >= ringDeadline) {
      ringChecked = true;
      await enforceRingTimeout(run);
    }
  }

  // ElevenLabs sends each webhook once: when the end never arrived, ask the provider.
  for (let poll = 0; !facts.resolution.final && poll < timing.pollAttempts; poll++) {
    if (poll > 0) await sleep(timing.pollIntervalSeconds * 1000);
    run.describe(`the provider to report the end of the call (poll ${poll + 1} of ${timing.pollAttempts})`);
    await lookUp(run, 'Poll');
  }
  if (!facts.resolution.final) {
    run.addFact({
      kind: 'dial_unknown',
      key: 'final_data_missing',
      at: run.now(),
      reason: 'the provider never reported the end of the call',
    });
  }

  // AMD may land after the provider's end webhook (seed 001 §A10.4); give it a moment.
  const { amd } = run.input;
  if (amd.enabled && !facts.has('amd') && facts.resolution.answeredAt !== null) {
    run.describe('a pending answering-machine detection result');
    await condition(() => facts.has('amd'), amd.graceSeconds * 1000, { summary: 'AMD grace period' });
  }

  if (
    run.input.provider === 'ultravox' &&
    transferRequested() &&
    !facts.has('transferred') &&
    facts.resolution.answeredAt !== null &&
    patched(PATCHES.ultravoxColdTransfer)
  ) {
    run.describe('the confirmation of the transfer');
    await condition(() => facts.has('transferred'), TRANSFER_CONFIRM_SECONDS * 1000, {
      summary: 'transfer confirmation',
    });
  }
}

/**
 * The provider's own end of the call, not merely a settled outcome: an AMD MACHINE verdict settles
 * the outcome at once, but the duration, cost and transcript still come with the provider's end.
 */
function providerReportedEnd(run: CallRun): boolean {
  const { facts } = run;
  if (!facts.resolution.final) return false;
  return (
    facts.has('ended') ||
    facts.has('initiation_failure') ||
    facts.has('sip_termination') ||
    facts.has('dial_unknown')
  );
}

/**
 * An AMD MACHINE verdict settles the outcome before the provider reports the end. The record shows
 * it at once; the leg is hung up (the dialplan does the same on MACHINE, seed 001 §8 scenario 3) and
 * the provider's end, with duration, cost and transcript, is awaited briefly, then asked for once.
 */
async function settledBeforeProviderEnd(run: CallRun): Promise<void> {
  const { facts, input, timing } = run;
  await run.records.recordCallState.executeWithOptions(
    {
      summary: `Record the call to ${run.maskedNumber} as ${facts.resolution.status}/${facts.resolution.outcome ?? '-'}`,
    },
    [{ callId: input.callId, newFacts: facts.takeUnsaved(), state: facts.resolution }],
  );
  const providerCallId = facts.resolution.providerCallId;
  if (providerCallId) {
    try {
      await providerActivities.hangUpCall.executeWithOptions(
        { summary: `Hang up the call to ${run.maskedNumber} (outcome settled)` },
        [{ provider: input.provider, providerCallId }],
      );
    } catch (error) {
      log.warn('provider hang-up after the verdict failed', { error: messageOf(causeOf(error)) });
    }
  }
  run.describe("the provider's end of the call (outcome already settled)");
  await condition(() => providerReportedEnd(run), timing.hangupConfirmSeconds * 1000, {
    summary: 'provider end',
  });
  if (!providerReportedEnd(run)) await lookUp(run, 'Fetch the post-call data of');
}

/**
 * Seed 001's cancel chain: ask the provider to hang up (its adapter falls back, e.g. Ultravox
 * hang_up → ARI channel DELETE), wait for it to report the end, then ask it. A leg that was never
 * answered and is still not reported over is recorded as cancelled (487), as a CANCEL would report.
 */
async function hangUp(run: CallRun): Promise<void> {
  const { facts, input, timing } = run;
  run.describe('the provider to hang up');
  const providerCallId = facts.resolution.providerCallId;
  if (providerCallId) {
    try {
      await providerActivities.hangUpCall.executeWithOptions(
        { summary: `Hang up the call to ${run.maskedNumber}` },
        [{ provider: input.provider, providerCallId }],
      );
    } catch (error) {
      log.warn('provider hang-up failed', { error: messageOf(causeOf(error)) });
    }
  }
  await condition(() => providerReportedEnd(run), timing.hangupConfirmSeconds * 1000, {
    summary: 'hang-up confirmation',
  });
  if (providerReportedEnd(run)) return;
  await lookUp(run, 'Check after hang-up of');
  if (!facts.resolution.final && facts.resolution.answeredAt === null) {
    run.addFact({
      kind: 'sip_termination',
      key: 'hangup_cancelled',
      at: run.now(),
      sipCode: SIP_REQUEST_TERMINATED,
      cause: MANUAL_HANGUP_CAUSE,
    });
  }
  run.describe('the call to end');
}

/** A leg still ringing past the ringing timeout is hung up and recorded as unanswered (480). */
async function enforceRingTimeout(run: CallRun): Promise<void> {
  const { facts, input } = run;
  if (facts.resolution.final || facts.resolution.answeredAt !== null) return;
  await lookUp(run, 'Check the ringing of');
  if (facts.resolution.final || facts.resolution.answeredAt !== null) return;
  const providerCallId = facts.resolution.providerCallId;
  if (providerCallId) {
    try {
      await providerActivities.hangUpCall.executeWithOptions(
        { summary: `Hang up the unanswered call to ${run.maskedNumber}` },
        [{ provider: input.provider, providerCallId }],
      );
    } catch (error) {
      log.warn('provider hang-up after ring timeout failed', { error: messageOf(causeOf(error)) });
    }
  }
  run.addFact({
    kind: 'sip_termination',
    key: 'ring_timeout',
    at: run.now(),
    sipCode: SIP_TEMPORARILY_UNAVAILABLE,
  });
}

async function lookUp(run: CallRun, verb: string): Promise<void> {
  const { input, facts } = run;
  try {
    const snapshot = await providerActivities.lookupProviderCall.executeWithOptions(
      { summary: `${verb} the call to ${run.maskedNumber} at ${input.provider}` },
      [
        {
          provider: input.provider,
          callId: input.callId,
          ...(facts.resolution.providerCallId ? { providerCallId: facts.resolution.providerCallId } : {}),
        },
      ],
    );
    for (const fact of snapshot.facts) run.addFact(fact);
  } catch (error) {
    log.warn('provider lookup failed', { error: messageOf(causeOf(error)) });
  }
}
