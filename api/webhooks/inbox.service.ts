import {
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { context } from '@opentelemetry/api';
import { Client } from '@temporalio/client';
import { Kysely } from 'kysely';
import {
  countPendingInboxEvents,
  storeInboxEvents,
  type InboxEntry,
  type NewInboxEvent,
  type StoredInboxEvent,
} from '../../schema/repositories/inbox.repository';
import { inboxEventById, requeueInboxEvent } from '../../schema/repositories/inbox-review.repository';
import type { Executor } from '../../schema/repositories/executor';
import { withTenant } from '../../schema/tenant-scope';
import type { DB } from '../../schema/types';
import { webhookInboxDepth, webhooksReceived } from '../../infra/metrics/api-metrics';
import { outdialTracer } from '../../infra/tracing/tracing';
import { ProblemError } from '../common/problem';
import { GroupCommit } from './group-commit';
import { attributeByPhone, callMatchOf } from './call-resolution';
import { InboxDelivery, unmatched } from './inbox-delivery';
import { SYSTEM_DB } from '../common/tokens';

/**
 * Picks up events a stopped process stored but did not deliver (and any missed wake-up). A backstop,
 * not tuned: a sweep that finds nothing due costs one claim query.
 */
const SWEEP_INTERVAL_MS = 2000;
/**
 * How long a new event is left to the process that stored it (delivered from memory, without a
 * claim) before any process may claim it: the delay after a crash between storing and signalling.
 * It must far exceed a pass and the delay of its delivered marks (`MARK_DELAY_MS`, 250 ms).
 */
const FRESH_LEASE_SECONDS = 10;
/** How often the inbox depth gauge is refreshed: a scrape reads the last sample, never the table. */
const DEPTH_SAMPLE_MS = 5000;

/**
 * One write at a time: under load it takes every event that came during the last, so a statement
 * (and a commit) serves more events. Since the insert is planned once per connection, that beats two
 * writes at once in the webhook bench on throughput, Postgres CPU per request and p99 alike.
 */
export const INBOX_WRITE_LIMITS = { concurrentWrites: 1, batchSize: 200 };

/**
 * The webhook inbox: an event is stored once (unique provider + event key) before it is answered,
 * and delivered to its call workflow as signals by one delivery loop per process.
 */
@Injectable()
export class InboxService implements OnModuleInit, OnModuleDestroy {
  private readonly delivery: InboxDelivery;
  private readonly store: GroupCommit<NewInboxEvent, StoredInboxEvent | undefined>;
  private sweepTimer: NodeJS.Timeout | undefined;
  private depthTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(SYSTEM_DB) private readonly db: Kysely<DB>,
    @Inject(Kysely) private readonly tenantDb: Kysely<DB>,
    @Inject(Client) temporal: Client,
  ) {
    this.delivery = new InboxDelivery(db, temporal, new Logger('WebhookInbox'));
    this.store = new GroupCommit(
      (entries) => storeInboxEvents(db, entries, FRESH_LEASE_SECONDS),
      INBOX_WRITE_LIMITS,
    );
  }

  onModuleInit(): void {
    this.sweepTimer = setInterval(() => this.delivery.wake(), SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
    this.delivery.wake();
    const sampleDepth = () =>
      countPendingInboxEvents(this.db).then(
        (depth) => webhookInboxDepth.set(depth),
        () => undefined, // Postgres unavailable: /readyz says so; the gauge keeps its last value.
      );
    void sampleDepth();
    this.depthTimer = setInterval(() => void sampleDepth(), DEPTH_SAMPLE_MS);
    this.depthTimer.unref();
  }

  /**
   * An operator's second chance for a `failed` or `orphaned` event (Temporal was down longer than
   * the retry budget, the call's workflow was started again): queued now and delivered as any other.
   * `tenantId` keeps to that tenant's events.
   */
  async redeliver(id: string, tenantId?: string): Promise<void> {
    await (tenantId === undefined
      ? this.requeue(this.db, id)
      : withTenant(this.tenantDb, tenantId, (trx) => this.requeue(trx, id, tenantId)));
    this.delivery.wake();
  }

  private async requeue(db: Executor, id: string, tenantId?: string): Promise<void> {
    const event = /^\d{1,15}$/.test(id) ? await inboxEventById(db, Number(id), tenantId) : undefined;
    if (!event) throw new ProblemError(HttpStatus.NOT_FOUND, 'NOT_FOUND', `No webhook inbox event ${id}.`);
    if (!(await requeueInboxEvent(db, event.id, tenantId))) {
      throw new ProblemError(
        HttpStatus.CONFLICT,
        'INBOX_EVENT_NOT_UNDELIVERABLE',
        `Event ${id} is ${event.status}: only a failed or orphaned event is redelivered.`,
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.sweepTimer);
    clearInterval(this.depthTimer);
    await this.delivery.stop();
  }

  /**
   * A webhook's event as its provider's parser read it (undefined: the body is not `expected`, 400),
   * stored with `payloadJson`, the body's text, when there is one. A duplicate is a 2xx no-op.
   */
  async receive(
    provider: InboxEntry['provider'],
    entry: InboxEntry | undefined,
    expected: string,
    payloadJson?: string,
  ): Promise<{ received: true; duplicate: boolean }> {
    if (!entry) {
      webhooksReceived.inc({ provider, result: 'malformed' });
      throw new ProblemError(400, 'MALFORMED_WEBHOOK', `Not ${expected}.`);
    }
    const stored = await this.accept(await attributeByPhone(this.db, { ...entry, payloadJson }));
    return { received: true, duplicate: !stored };
  }

  /**
   * Stores the event, matched to its call in the same statement; returns false for a duplicate.
   * Delivery follows the response: at once for a matched event, by the retry schedule for an
   * unmatched one that may yet match, never for one orphaned as it was stored.
   */
  private accept(entry: InboxEntry): Promise<boolean> {
    // The delivery's span (and so the signal and the workflow's handling of it) hangs under this one.
    return outdialTracer().startActiveSpan(
      'webhook inbox store',
      { attributes: { 'outdial.provider': entry.provider, 'outdial.event_type': entry.eventType } },
      (span) => this.storeAndDeliver(entry).finally(() => span.end()),
    );
  }

  private async storeAndDeliver(entry: InboxEntry): Promise<boolean> {
    const ifUnmatched = unmatched(entry.provider, entry.eventType, 0);
    const stored = await this.store.submit({
      ...entry,
      match: callMatchOf(entry.provider, entry.payload),
      ifUnmatched,
    });
    if (stored?.callId) {
      this.delivery.deliverFresh({
        id: stored.id,
        provider: entry.provider,
        event_type: entry.eventType,
        call_id: stored.callId,
        payload: entry.payload,
        attempts: 0,
        trace: context.active(),
      });
    } else if (stored?.status === 'pending' && ifUnmatched.status === 'pending') {
      this.delivery.wakeIn(ifUnmatched.retryMs);
    }
    const result = !stored ? 'duplicate' : stored.status === 'orphaned' ? 'orphaned' : 'accepted';
    webhooksReceived.inc({ provider: entry.provider, result });
    return stored !== undefined;
  }
}
