import { ActivityFailure, log } from '@temporalio/workflow';
import { dialPolicy, providerPolicy } from './activity-policies';
import { agentVariables } from './call-flow';
import type { CallState } from './call-state';
import type { CallTiming, CallWorkflowInput } from './call.messages';

/** The call as the provider has it: placed at most once, asked about, hung up. */
export class CallLeg {
  constructor(
    private readonly input: CallWorkflowInput,
    private readonly timing: CallTiming,
    private readonly state: CallState,
  ) {}

  /** Places the call; returns the provider's call id. Throws as the provider or the transport failed. */
  async place(firstMessage: string): Promise<string> {
    const { input, timing } = this;
    const { providerCallId } = await dialPolicy.placeCall.executeWithOptions(
      {
        startToCloseTimeout: `${timing.dialTimeoutSeconds} seconds`,
        summary: `Dial ${this.state.maskedNumber} via ${input.provider} (attempt ${input.attempt})`,
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
    return providerCallId;
  }

  /**
   * Asks the provider to hang up (its adapter falls back, e.g. Ultravox hang_up → ARI channel
   * DELETE). A failure is only logged: the caller waits for the provider's end either way.
   */
  async hangUp(why?: string): Promise<void> {
    const { providerCallId } = this.state.resolution;
    if (!providerCallId) return;
    try {
      await providerPolicy.hangUpCall.executeWithOptions(
        { summary: `Hang up the call to ${this.state.maskedNumber}${why ? ` (${why})` : ''}` },
        [{ provider: this.input.provider, providerCallId }],
      );
    } catch (error) {
      log.warn('provider hang-up failed', { why, error: messageOf(causeOf(error)) });
    }
  }

  /** Adds what the provider knows of the call to its facts; returns why it could not be asked, if so. */
  async lookUp(verb: string): Promise<string | null> {
    const { input, state } = this;
    const { providerCallId } = state.resolution;
    try {
      const snapshot = await providerPolicy.lookupProviderCall.executeWithOptions(
        { summary: `${verb} the call to ${state.maskedNumber} at ${input.provider}` },
        [{ provider: input.provider, callId: input.callId, ...(providerCallId ? { providerCallId } : {}) }],
      );
      state.add(...snapshot.facts);
      return null;
    } catch (error) {
      const reason = messageOf(causeOf(error));
      log.warn('provider lookup failed', { error: reason });
      return reason;
    }
  }
}

export function causeOf(error: unknown): unknown {
  return error instanceof ActivityFailure && error.cause ? error.cause : error;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
