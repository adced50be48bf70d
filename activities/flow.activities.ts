import type { LabelModel, LabelModelResult } from '../domain/classifier';
import type { Language } from '../domain/vocabulary';
import type { Database } from '../schema/database';
import { addToDoNotCall } from '../schema/repositories/dnc.repository';
import { insertCallback, insertFollowup } from '../schema/repositories/flow-actions.repository';

/**
 * The flow's allowlisted actions (seed 000 §5). Each is idempotent, so a retried activity or a
 * repeated turn writes nothing twice.
 */
export function createFlowActivities({ db, labelModel }: { db: Database; labelModel?: LabelModel }) {
  return {
    /** LLM_LABEL_ONLY: the model's reading of one answer; a failure is a value (keywords decide). */
    async labelAnswer(input: {
      text: string;
      language: Language;
      question: string;
    }): Promise<LabelModelResult> {
      if (!labelModel) return { ok: false };
      return labelModel.label(input.text, input.language, input.question);
    },

    /** Immediate: the person asked not to be called; no later call of this tenant may reach them. */
    async addCallerToDoNotCall(input: {
      tenantId: string;
      callId: string;
      phone: string;
      reason: string;
    }): Promise<void> {
      await addToDoNotCall(db, [
        {
          tenantId: input.tenantId,
          phoneE164: input.phone,
          reason: input.reason,
          source: `call:${input.callId}`,
        },
      ]);
    },

    async createCallback(input: {
      tenantId: string;
      callId: string;
      phone: string;
      reason: string;
    }): Promise<void> {
      await insertCallback(db, {
        tenantId: input.tenantId,
        callId: input.callId,
        phoneE164: input.phone,
        reason: input.reason,
      });
    },

    /**
     * Returns the stored due time (ISO), which is the first request's when repeated. A test call
     * (no contact) says what it would do but stores no follow-up: no one on the list asked.
     */
    async scheduleFollowup(input: {
      tenantId: string;
      campaignId: string;
      contactId: string | null;
      callId: string;
      dueAt: string;
    }): Promise<string> {
      const { contactId } = input;
      if (contactId === null) return input.dueAt;
      return (await insertFollowup(db, { ...input, contactId })).toISOString();
    },
  };
}
