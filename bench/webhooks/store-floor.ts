import { Body, Controller, HttpCode, Inject, Module, Post, type DynamicModule } from '@nestjs/common';
import { sql } from 'kysely';
import type { Database } from '../../schema/database';
import { GroupCommit } from '../../api/webhooks/group-commit';

/**
 * The floor under any inbox that keeps the contract: each event stored durably once (unique
 * key) before it is answered, group-committed as the inbox does, on the same framework and Postgres.
 * No signature, no delivery, no signals: what an inbox costs before it does anything with an event.
 */
@Controller()
class StoreFloorController {
  constructor(
    @Inject(GroupCommit) private readonly store: GroupCommit<{ key: string; body: unknown }, boolean>,
  ) {}

  @Post('store-floor')
  @HttpCode(200)
  async storeFloor(@Body() body: { data?: { conversation_id?: string } }) {
    const stored = await this.store.submit({ key: String(body.data?.conversation_id), body });
    return { received: true, duplicate: !stored };
  }
}

export async function storeFloorModule(db: Database): Promise<DynamicModule> {
  await sql`create table if not exists bench_store_floor (
    id bigserial primary key, event_key text not null unique, payload jsonb not null)`.execute(db);
  const store = new GroupCommit<{ key: string; body: unknown }, boolean>(
    async (items) => {
      const { rows } = await sql<{ event_key: string }>`
        insert into bench_store_floor (event_key, payload)
        select * from unnest(${items.map((i) => i.key)}::text[], ${items.map((i) => JSON.stringify(i.body))}::jsonb[])
        on conflict (event_key) do nothing returning event_key`.execute(db);
      const stored = new Set(rows.map((row) => row.event_key));
      return items.map((item) => stored.delete(item.key));
    },
    { concurrentWrites: 2, batchSize: 200 },
  );
  return {
    module: StoreFloorModule,
    controllers: [StoreFloorController],
    providers: [{ provide: GroupCommit, useValue: store }],
  };
}

@Module({})
class StoreFloorModule {}
