import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import { Kysely, sql } from 'kysely';
import type { DB } from '../../schema/types';
import { ProblemError } from '../common/problem';

@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(
    @Inject(Kysely) private readonly db: Kysely<DB>,
    @Inject(Client) private readonly temporal: Client,
  ) {}

  @Get('healthz')
  health() {
    return { status: 'ok' };
  }

  /** Ready when both Postgres and Temporal answer. */
  @Get('readyz')
  async ready() {
    try {
      await sql`select 1`.execute(this.db);
      await this.temporal.workflowService.getSystemInfo({});
    } catch (error) {
      throw new ProblemError(503, 'NOT_READY', `Dependency unavailable: ${(error as Error).message}`);
    }
    return { status: 'ready' };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async metrics() {
    const inbox = await this.db
      .selectFrom('webhook_inbox')
      .select(['status', sql<number>`count(*)::int`.as('n')])
      .groupBy('status')
      .execute();
    const lines = ['# HELP outdial_webhook_inbox_events Webhook inbox events by status', '# TYPE outdial_webhook_inbox_events gauge'];
    for (const row of inbox) lines.push(`outdial_webhook_inbox_events{status="${row.status}"} ${row.n}`);
    const mem = process.memoryUsage();
    lines.push('# TYPE outdial_api_rss_bytes gauge', `outdial_api_rss_bytes ${mem.rss}`);
    return lines.join('\n') + '\n';
  }
}
