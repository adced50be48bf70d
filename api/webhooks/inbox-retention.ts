import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Kysely } from 'kysely';
import type { AppConfig } from '../../infra/config/config';
import { purgeDeliveredInboxEvents } from '../../schema/repositories/inbox.repository';
import type { DB } from '../../schema/types';
import { APP_CONFIG, SYSTEM_DB } from '../common/tokens';

/** Deletes per statement: short enough that a purge never holds the inbox's rows for long. */
const PURGE_BATCH = 5_000;

/**
 * Keeps the webhook inbox from growing forever: delivered events older than INBOX_RETENTION_DAYS
 * are deleted, batch by batch, once after start-up and then every INBOX_PURGE_INTERVAL_SECONDS.
 * Every API process runs it; they skip each other's rows.
 */
@Injectable()
export class InboxRetention implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('InboxRetention');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    @Inject(SYSTEM_DB) private readonly db: Kysely<DB>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const every = this.config.INBOX_PURGE_INTERVAL_SECONDS * 1000;
    this.timer = setInterval(() => void this.purge(), every);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Purges until no event past retention is left; returns how many were deleted. */
  purge(): Promise<number> {
    this.running ??= this.purgeAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async purgeAll(): Promise<number> {
    let deleted = 0;
    try {
      for (;;) {
        const batch = await purgeDeliveredInboxEvents(this.db, this.config.INBOX_RETENTION_DAYS, PURGE_BATCH);
        deleted += batch;
        if (batch < PURGE_BATCH) break;
      }
      if (deleted > 0)
        this.logger.log(
          `deleted ${deleted} webhooks delivered over ${this.config.INBOX_RETENTION_DAYS} days ago`,
        );
    } catch (error) {
      this.logger.warn(`inbox retention: ${(error as Error).message}`);
    }
    return deleted;
  }
}
