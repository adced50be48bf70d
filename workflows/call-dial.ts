import { ActivityFailure, ApplicationFailure, condition, log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { msUntilWindowOpens } from '../domain/calling-window';
import { CallErrorType } from '../domain/errors';
import { calledPartyTimeZone } from '../domain/phone-timezone';
import { agentVariables } from './call-flow';
import type { CallRun } from './call-state';

// Never retried: a second dial could ring the person twice. An unknown result is reconciled.
const dialActivities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 1 },
});

const lookupActivities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3, initialInterval: '2 seconds' },
});

export const DNC_LISTED = 'number is on the Do-Not-Call list';
export const DNC_UNREADABLE = 'DNC list unreadable';

export type DialGate = 'dial' | 'settled';

/**
 * Waits for the called party's calling window, then runs the Do-Not-Call precheck right before
 * dialing. Returns 'settled' when a fact already decided the call (blocked, or hung up while waiting).
 */
export async function passDialGates(run: CallRun): Promise<DialGate> {
  const { input, facts } = run;
  const timeZone = calledPartyTimeZone(input.toNumber, input.timezone);
  for (;;) {
    const wait = msUntilWindowOpens(Date.now(), input.callingWindow, timeZone);
    if (wait > 0) {
      run.describe(
        `the calling window (${input.callingWindow.start}-${input.callingWindow.end} ${timeZone})`,
      );
      await condition(() => facts.has('hangup_requested'), wait, { summary: 'calling window' });
      if (facts.has('hangup_requested')) {
        run.addFact({ kind: 'cancelled', key: 'cancelled', at: run.now(), reason: 'hung up before dialing' });
        return 'settled';
      }
      continue;
    }
    run.describe('the Do-Not-Call precheck');
    const blockedBecause = await doNotCallReason(run);
    if (blockedBecause !== null) {
      run.addFact({ kind: 'dnc_blocked', key: 'dnc_blocked', at: run.now(), reason: blockedBecause });
      return 'settled';
    }
    if (facts.has('hangup_requested')) {
      run.addFact({ kind: 'cancelled', key: 'cancelled', at: run.now(), reason: 'hung up before dialing' });
      return 'settled';
    }
    // The precheck took time: dial only if the window is still open, otherwise wait for it again.
    if (msUntilWindowOpens(Date.now(), input.callingWindow, timeZone) === 0) return 'dial';
  }
}

/** Fail-closed: a number we cannot check is a number we do not dial. */
async function doNotCallReason(run: CallRun): Promise<string | null> {
  try {
    const listed = await run.records.checkDoNotCall.executeWithOptions(
      { summary: `DNC precheck ${run.maskedNumber}` },
      [{ tenantId: run.input.tenantId, phone: run.input.toNumber }],
    );
    return listed ? DNC_LISTED : null;
  } catch (error) {
    log.warn('DNC list unreadable, not dialing', { error: messageOf(error) });
    return `${DNC_UNREADABLE}: ${messageOf(causeOf(error))}`;
  }
}

/** Places the call at most once. Returns false when no call exists at the provider. */
export async function dialOnce(run: CallRun, firstMessage: string): Promise<boolean> {
  const { input, timing } = run;
  run.describe('the provider to accept the dial');
  try {
    const { providerCallId } = await dialActivities.placeCall.executeWithOptions(
      {
        startToCloseTimeout: `${timing.dialTimeoutSeconds} seconds`,
        summary: `Dial ${run.maskedNumber} via ${input.provider} (attempt ${input.attempt})`,
      },
      [
        {
          provider: input.provider,
          request: {
            callId: input.callId,
            toNumber: input.toNumber,
            variables: agentVariables(input),
            firstMessage,
            language: input.language,
            ringingTimeoutSeconds: timing.ringingTimeoutSeconds,
          },
        },
      ],
    );
    run.addFact({
      kind: 'dial_accepted',
      key: `dial_accepted:${input.callId}`,
      at: run.now(),
      provider: input.provider,
      providerCallId,
    });
    return true;
  } catch (error) {
    const cause = causeOf(error);
    const type = cause instanceof ApplicationFailure ? cause.type : undefined;
    if (type === CallErrorType.DialRejected || type === CallErrorType.ProviderNotConfigured) {
      run.addFact({
        kind: 'dial_rejected',
        key: 'dial_rejected',
        at: run.now(),
        reason: `dial rejected: ${messageOf(cause)}`,
      });
      return false;
    }
    // Timeout, reset, lost worker: the provider may have the call. Never dial again.
    return reconcileUnknownDial(run, messageOf(cause));
  }
}

/** The provider may or may not have the call: wait for its webhooks, then ask it by our call id. */
async function reconcileUnknownDial(run: CallRun, reason: string): Promise<boolean> {
  const { input, facts, timing } = run;
  run.describe('a webhook or the provider to tell whether the dial happened');
  log.warn('dial result unknown, reconciling', { reason });
  const heardFromProvider = () => facts.all().some((f) => f.kind !== 'hangup_requested');
  await condition(heardFromProvider, timing.reconcileSeconds * 1000, { summary: 'reconcile unknown dial' });
  let lookupFailure = '';
  // Webhooks do not name the provider's call id; the lookup by our call id does, for the record.
  if (facts.resolution.providerCallId === null) {
    try {
      const snapshot = await lookupActivities.lookupProviderCall.executeWithOptions(
        { summary: `Find the call to ${run.maskedNumber} at ${input.provider}` },
        [{ provider: input.provider, callId: input.callId }],
      );
      for (const fact of snapshot.facts) run.addFact(fact);
    } catch (error) {
      lookupFailure = `; the provider lookup failed: ${messageOf(causeOf(error))}`;
    }
  }
  if (heardFromProvider()) return true;
  run.addFact({
    kind: 'dial_unknown',
    key: 'dial_unknown',
    at: run.now(),
    reason: `dial result unknown (${reason}); no call found at the provider${lookupFailure}`,
  });
  return false;
}

export function causeOf(error: unknown): unknown {
  return error instanceof ActivityFailure && error.cause ? error.cause : error;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
