import type { Executor } from './executor';

export interface FlowTurnRecord {
  callId: string;
  requestId: string;
  tool: string;
  utterance: string | null;
  dtmf: string | null;
  reply: string;
  label: string;
  endCall: boolean;
}

/** A retried request (same request id) was answered from the same turn: it is recorded once. */
export async function recordFlowTurn(db: Executor, turn: FlowTurnRecord): Promise<void> {
  await db
    .insertInto('flow_turns')
    .values({
      call_id: turn.callId,
      request_id: turn.requestId,
      tool: turn.tool,
      utterance: turn.utterance,
      dtmf: turn.dtmf,
      reply: turn.reply,
      label: turn.label,
      end_call: turn.endCall,
    })
    .onConflict((oc) => oc.columns(['call_id', 'request_id']).doNothing())
    .execute();
}

export async function flowTurnsOf(db: Executor, callId: string) {
  return db
    .selectFrom('flow_turns')
    .select(['tool', 'utterance', 'dtmf', 'reply', 'label', 'end_call', 'at'])
    .where('call_id', '=', callId)
    .orderBy('at')
    .orderBy('request_id')
    .execute();
}
