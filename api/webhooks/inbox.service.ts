import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { Kysely } from 'kysely';
import { storeInboxEvents, type InboxEntry } from '../../activities/db/inbox.repository';
import type { DB } from '../../schema/types';
import { GroupCommit } from './group-commit';
import { InboxDelivery } from './inbox-delivery';

/** Picks up events a stopped process stored but did not deliver (and any missed wake-up). */
const SWEEP_INTERVAL_MS = 2000;

/**
 * The webhook inbox: an event is stored once (unique provider + event key) before it is answered,
 * and delivered to its call workflow as signals by one delivery loop per process.
 */
@Injectable()
export class InboxService implements OnModuleInit, OnModuleDestroy {
  private readonly delivery: InboxDelivery;
  private readonly store: GroupCommit<InboxEntry, number | undefined>;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(@Inject(Kysely) db: Kysely<DB>, @Inject(Client) temporal: Client) {
    this.delivery = new InboxDelivery(db, temporal, new Logger('WebhookInbox'));
    // A few writes at once leave pool connections for the delivery loop and the rest of the API.
    this.store = new GroupCommit((entries) => storeInboxEvents(db, entries), {
      concurrentWrites: 3,
      batchSize: 200,
    });
  }

  onModuleInit(): void {
    this.sweepTimer = setInterval(() => this.delivery.wake(), SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
    this.delivery.wake();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.sweepTimer);
    await this.delivery.stop();
  }

  /** Stores the event; returns false for a duplicate. Delivery follows the response. */
  async accept(entry: InboxEntry): Promise<boolean> {
    const id = await this.store.submit(entry);
    if (id !== undefined) this.delivery.wake();
    return id !== undefined;
  }
}
