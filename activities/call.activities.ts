import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { CallFact } from '../domain/call-facts';
import { CallErrorType } from '../domain/errors';
import type { Provider } from '../domain/vocabulary';
import {
  appendCallEvents,
  claimDialSlot,
  releaseDialSlot,
  reserveAttempt,
  writeCallState,
  type CallRecordState,
  type ReserveAttemptInput,
} from '../schema/repositories/calls.repository';
import { recordAttemptFinished } from '../schema/repositories/campaigns.repository';
import { isOnDoNotCall } from '../schema/repositories/dnc.repository';
import type { Database } from '../schema/database';
import {
  DialOutcomeUnknownError,
  DialRejectedError,
  type PlaceCallRequest,
  type PlaceCallResult,
  type ProviderCallSnapshot,
  type VoiceProvider,
} from './providers/provider';
import type { ProviderRegistry } from './providers/registry';

export interface CallActivityDeps {
  db: Database;
  providers: ProviderRegistry;
}

export function createCallActivities({ db, providers }: CallActivityDeps) {
  function providerFor(name: Provider): VoiceProvider {
    const provider = providers[name];
    if (!provider) {
      throw ApplicationFailure.nonRetryable(
        `Provider ${name} is not configured`,
        CallErrorType.ProviderNotConfigured,
      );
    }
    return provider;
  }

  return {
    async checkDoNotCall(input: { tenantId: string; phone: string }): Promise<boolean> {
      return isOnDoNotCall(db, input.tenantId, input.phone);
    },

    async reserveCallAttempt(input: ReserveAttemptInput): Promise<void> {
      await reserveAttempt(db, input);
    },

    /**
     * A slot of the tenant's concurrent-call limit, taken right before the dial. When all are held
     * this fails as retryable, so the call waits in the activity's retries without growing its history.
     */
    async claimDialSlot(input: { callId: string; tenantId: string }): Promise<void> {
      const claimed = await db.transaction().execute((trx) => claimDialSlot(trx, input));
      if (!claimed) {
        throw ApplicationFailure.retryable(
          'every concurrent-call slot of the tenant is held',
          CallErrorType.TenantCallLimitReached,
        );
      }
    },

    async releaseDialSlot(input: { callId: string }): Promise<void> {
      await releaseDialSlot(db, input.callId);
    },

    /** Runs at most once per attempt (the workflow sets maximumAttempts: 1). */
    async placeCall(input: { provider: Provider; request: PlaceCallRequest }): Promise<PlaceCallResult> {
      try {
        const placed = await providerFor(input.provider).placeCall(input.request);
        log.info('provider accepted the dial', {
          provider: input.provider,
          providerCallId: placed.providerCallId,
          toNumber: input.request.toNumber,
        });
        return placed;
      } catch (error) {
        if (error instanceof DialRejectedError) {
          throw ApplicationFailure.nonRetryable(error.message, CallErrorType.DialRejected);
        }
        if (error instanceof DialOutcomeUnknownError) {
          throw ApplicationFailure.nonRetryable(error.message, CallErrorType.DialOutcomeUnknown);
        }
        throw error;
      }
    },

    async lookupProviderCall(input: {
      provider: Provider;
      callId: string;
      providerCallId?: string;
    }): Promise<ProviderCallSnapshot> {
      return providerFor(input.provider).fetchCall(input);
    },

    /** Safe to repeat: the provider refuses a second transfer of one call (fixed channel ids). */
    async transferCall(input: { provider: Provider; providerCallId: string; to: string }): Promise<void> {
      const provider = providerFor(input.provider);
      if (!provider.transfer) {
        throw ApplicationFailure.nonRetryable(
          `Provider ${input.provider} transfers through its own agent`,
          CallErrorType.ProviderNotConfigured,
        );
      }
      await provider.transfer({ providerCallId: input.providerCallId, to: input.to });
    },

    async hangUpCall(input: { provider: Provider; providerCallId: string }): Promise<void> {
      await providerFor(input.provider).hangUp(input.providerCallId);
    },

    /** The live view for operators; the workflow is the only writer of call state. */
    async recordCallState(input: {
      callId: string;
      newFacts: CallFact[];
      state: CallRecordState;
    }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await appendCallEvents(trx, input.callId, input.newFacts);
        await writeCallState(trx, input.callId, input.state);
      });
    },

    async finalizeCall(input: {
      callId: string;
      /** Null for a test call, which no contact counts. */
      contactId: string | null;
      attempt: number;
      facts: CallFact[];
      state: CallRecordState;
    }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await appendCallEvents(trx, input.callId, input.facts);
        await writeCallState(trx, input.callId, input.state);
        if (input.contactId !== null) await recordAttemptFinished(trx, input.contactId, input.attempt);
      });
    },
  };
}
