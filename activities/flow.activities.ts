import type { Database } from '../schema/database';
import { addToDoNotCall } from './db/dnc.repository';
import { insertCallback, insertFollowup } from './db/flow-actions.repository';

/**
 * The flow's allowlisted actions (seed 000 §5). Each is idempotent, so a retried activity or a
 * repeated turn writes nothing twice.
 */
export function createFlowActivities({ db }: { db: Database }) {
  return {
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

    /** Returns the stored due time (ISO), which is the first request's when repeated. */
    async scheduleFollowup(input: {
      tenantId: string;
      campaignId: string;
      contactId: string;
      callId: string;
      dueAt: string;
    }): Promise<string> {
      return (await insertFollowup(db, input)).toISOString();
    },
  };
}
