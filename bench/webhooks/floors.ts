import { Body, Controller, HttpCode, Inject, Module, Post, type DynamicModule } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { sql } from 'kysely';
import { GroupCommit } from '../../api/webhooks/group-commit';
import { INBOX_WRITE_LIMITS } from '../../api/webhooks/inbox.service';
import { PROVIDER_EVENT_READERS } from '../../api/webhooks/provider-events';
import type { Database } from '../../schema/database';
import { providerFactsSignal } from '../../workflows/call.messages';
import { callWorkflowId } from '../../workflows/workflow-ids';

type FloorEvent = { key: string; body: unknown };
type PostCallBody = {
  data?: {
    conversation_id?: string;
    conversation_initiation_client_data?: { dynamic_variables?: { call_id?: string } };
  };
};

const SIGNAL_FLOOR_COUNTS = 'SIGNAL_FLOOR_COUNTS';

/** How the signal floor's signals went: a floor whose signals failed would have cost too little. */
export interface SignalFloorCounts {
  sent: number;
  failed: number;
}

/**
 * The floors under any inbox that keeps the contract, on the same framework and Postgres:
 * - store: each event stored durably once (unique key) before it is answered, group-committed as
 *   the inbox does. No signature, no matching, no delivery: what storing alone costs.
 * - signal: the same, then the workflow an event names is signalled with the event's facts, as the
 *   inbox delivers a live call's event. Without a signature check, a match in the database, a
 *   record of the delivery or any limit on signals in flight, it costs less than any inbox that
 *   keeps the contract can.
 */
@Controller()
class FloorsController {
  constructor(
    @Inject(GroupCommit) private readonly store: GroupCommit<FloorEvent, boolean>,
    @Inject(Client) private readonly temporal: Client,
    @Inject(SIGNAL_FLOOR_COUNTS) private readonly signals: SignalFloorCounts,
  ) {}

  @Post('store-floor')
  @HttpCode(200)
  async storeFloor(@Body() body: PostCallBody) {
    const stored = await this.store.submit({ key: String(body.data?.conversation_id), body });
    return { received: true, duplicate: !stored };
  }

  @Post('signal-floor')
  @HttpCode(200)
  async signalFloor(@Body() body: PostCallBody) {
    const stored = await this.store.submit({ key: String(body.data?.conversation_id), body });
    const callId = body.data?.conversation_initiation_client_data?.dynamic_variables?.call_id;
    // After the answer, as the inbox signals after it answers.
    if (stored && callId) setImmediate(() => void this.signal(callId, body));
    return { received: true, duplicate: !stored };
  }

  private async signal(callId: string, body: unknown): Promise<void> {
    try {
      const facts = PROVIDER_EVENT_READERS.elevenlabs!.facts('post_call_transcription', body);
      await this.temporal.workflow.getHandle(callWorkflowId(callId)).signal(providerFactsSignal, facts);
      this.signals.sent += 1;
    } catch {
      this.signals.failed += 1;
    }
  }
}

export async function floorsModule(
  db: Database,
  temporal: Client,
): Promise<{ module: DynamicModule; signals: SignalFloorCounts }> {
  await sql`create table if not exists bench_store_floor (
    id bigserial primary key, event_key text not null unique, payload jsonb not null)`.execute(db);
  const store = new GroupCommit<FloorEvent, boolean>(async (items) => {
    const { rows } = await sql<{ event_key: string }>`
        insert into bench_store_floor (event_key, payload)
        select * from unnest(${items.map((i) => i.key)}::text[], ${items.map((i) => JSON.stringify(i.body))}::jsonb[])
        on conflict (event_key) do nothing returning event_key`.execute(db);
    const stored = new Set(rows.map((row) => row.event_key));
    return items.map((item) => stored.delete(item.key));
  }, INBOX_WRITE_LIMITS);
  const signals: SignalFloorCounts = { sent: 0, failed: 0 };
  return {
    module: {
      module: FloorsModule,
      controllers: [FloorsController],
      providers: [
        { provide: GroupCommit, useValue: store },
        { provide: Client, useValue: temporal },
        { provide: SIGNAL_FLOOR_COUNTS, useValue: signals },
      ],
    },
    signals,
  };
}

@Module({})
class FloorsModule {}
