import { Controller, Get, Header, Headers, Inject, Logger } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import type { AppConfig } from '../../infra/config/config';
import { sameSecret } from '../../infra/config/same-secret';
import { APP_CONFIG } from '../common/tokens';
import { ApiExcludeController } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import { Kysely, sql } from 'kysely';
import type { DB } from '../../schema/types';
import { metricsRegistry } from '../../infra/metrics/registry';
import { runtimeMetricsText } from '../../infra/metrics/runtime-metrics';
import { ProblemError } from '../common/problem';
import { DrainState } from '../drain';

const READY_TIMEOUT_MS = 2_000;
const logger = new Logger('Health');

/** `promise`, or a rejection once `ms` have passed. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

@ApiExcludeController()
@SkipThrottle()
@Controller()
export class HealthController {
  constructor(
    @Inject(Kysely) private readonly db: Kysely<DB>,
    @Inject(Client) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DrainState) private readonly drain: DrainState,
  ) {}

  @Get('healthz')
  health() {
    return { status: 'ok' };
  }

  /**
   * Ready when both Postgres and Temporal answer within READY_TIMEOUT_MS. The answer names what did
   * not; the error itself (hosts, users, driver text) goes to the log, not to whoever asks. A
   * process shutting down is not ready, so that no new work is routed to it.
   */
  @Get('readyz')
  async ready() {
    if (this.drain.draining) throw new ProblemError(503, 'SHUTTING_DOWN', 'Not ready: this API process is shutting down.');
    const checks: Record<string, () => Promise<unknown>> = {
      postgres: () => sql`select 1`.execute(this.db),
      temporal: () => this.temporal.workflowService.getSystemInfo({}),
    };
    const failed: string[] = [];
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await within(READY_TIMEOUT_MS, check());
        } catch (error) {
          failed.push(name);
          logger.warn(`readiness: ${name} unavailable: ${(error as Error).message}`);
        }
      }),
    );
    if (failed.length > 0) {
      throw new ProblemError(503, 'NOT_READY', `Not ready: ${failed.sort().join(' and ')} did not answer.`, { unavailable: failed });
    }
    return { status: 'ready' };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async metrics(@Headers('authorization') authorization?: string) {
    const token = this.config.METRICS_TOKEN;
    if (token && !sameSecret(authorization ?? '', `Bearer ${token}`)) {
      throw new ProblemError(401, 'UNAUTHORIZED', 'The metrics need their bearer token (METRICS_TOKEN).');
    }
    // Workers in this process (npm start, the tests) add the Temporal runtime's metrics.
    return (await metricsRegistry.metrics()) + (await runtimeMetricsText());
  }
}
