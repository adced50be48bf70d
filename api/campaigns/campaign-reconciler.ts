import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Kysely } from 'kysely';
import type { AppConfig } from '../../infra/config/config';
import { lostCampaignStarts } from '../../schema/repositories/campaign-start';
import type { DB } from '../../schema/types';
import { APP_CONFIG, SYSTEM_DB } from '../common/tokens';
import type { CampaignConfig } from './campaign-config';
import { CampaignStarter } from './campaign-starter';

const PER_SWEEP = 100;
const logger = new Logger('CampaignReconciler');

/**
 * Starts the workflow of every running or scheduled campaign whose start changed its status and
 * never reached Temporal (the API process died in between). Every API process sweeps; the start is
 * idempotent, so two finding the same campaign start one workflow.
 */
@Injectable()
export class CampaignReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> = Promise.resolve();

  constructor(
    @Inject(SYSTEM_DB) private readonly db: Kysely<DB>,
    @Inject(CampaignStarter) private readonly starter: CampaignStarter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweeping = this.sweeping.then(() => this.sweep());
    }, this.config.CAMPAIGN_RECONCILE_SECONDS * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** A start younger than CAMPAIGN_RECONCILE_SECONDS is left to the request still making it. */
  async sweep(): Promise<void> {
    try {
      const lost = await lostCampaignStarts(this.db, this.config.CAMPAIGN_RECONCILE_SECONDS, PER_SWEEP);
      for (const row of lost) {
        logger.warn(`campaign ${row.id}: its workflow start was lost; starting it now`);
        await this.starter.start({
          campaignId: row.id,
          tenantId: row.tenant_id,
          config: row.config as CampaignConfig,
          startAt: row.start_at,
        });
      }
    } catch (error) {
      logger.error(`sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
