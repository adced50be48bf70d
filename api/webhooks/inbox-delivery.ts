import type { Logger } from '@nestjs/common';
import { context, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { outdialTracer } from '../../infra/tracing/tracing';
import { webhookDeliveries } from '../../infra/metrics/api-metrics';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { Kysely } from 'kysely';
import type { Executor } from '../../schema/repositories/executor';
import {
  claimDueInboxEvents,
  deferInboxEvents,
  markInboxDelivered,
  markInboxUndeliverable,
  type ClaimedInboxEvent,
  type DeliveredMark,
  type IfUnmatched,
} from '../../schema/repositories/inbox.repository';
import type { DB } from '../../schema/types';
import { deliveryRetryDelay } from './delivery-backoff';
import { providerFactsSignal } from '../../workflows/call.messages';
import { resolveCallIds } from './call-resolution';
import { PROVIDER_EVENT_READERS } from './provider-events';
import { callWorkflowId } from '../../workflows/workflow-ids';

const BATCH_SIZE = 100;
/** Passes at once: while one waits on Temporal for its signals, another settles what came next. */
const CONCURRENT_PASSES = 3;

// Timing. GATHER_MS, PASS_INTERVAL_MS and MARK_DELAY_MS were tuned with the webhook bench
// (bench/webhooks/main.ts); the retry delays are set by what the providers do, not measured.

/**
 * A webhook without our call id (ElevenLabs call_initiation_failure) can overtake the workflow's
 * write of the provider's call id by a few hundred milliseconds: look again soon, then less often
 * (each look rewrites the row), and after the last look leave it orphaned, about 15 s after it came.
 */
const UNMATCHED_RETRY_MS = [100, 300, 1000, 3000, 10_000];
/**
 * After a quiet spell a wake-up starts a pass this much later, so that the events stored meanwhile
 * are claimed, found and recorded together: in the bench, a few statements per batch instead of a
 * few per event (commit 20f75bf). It also covers a timer that fires a millisecond early: a retry is
 * due by the database's clock from a moment before our timer started, so it is due when a pass starts.
 */
const GATHER_MS = 10;
/**
 * Under load a pass starts at most this often (sooner only for a full batch), so that it signals a
 * burst of calls at once rather than a few at a time: the Temporal dev server spent about 1.0 ms of
 * CPU per signal in bursts of 25 against 1.5 ms sent one by one at the same rate, the API's gRPC
 * threads wake less often, and the bench's ratio to the bare endpoint rose from about 0.50 to
 * 0.54-0.56 (commit e98b9fe).
 */
const PASS_INTERVAL_MS = 100;
/**
 * Fresh events' delivered marks are written together this long after the first of them: under load
 * one statement for every pass in that time rather than one per pass, about 40% fewer inbox
 * statements in the bench (commit 8508350). Far inside the lease a fresh event's row has
 * (`FRESH_LEASE_SECONDS`, 10 s): should the process die first, the event is claimed and signalled
 * again once the lease ends, and the workflow keeps one copy of each fact by its key.
 */
const MARK_DELAY_MS = 250;

/**
 * An event with the call it was matched to as it was stored, and the trace of the request that
 * brought it (an event claimed from the table has none).
 */
type MatchedInboxEvent = ClaimedInboxEvent & { call_id: string; trace?: Context };

type Settlement =
  | { kind: 'delivered'; at: number }
  | { kind: 'retry'; delayMs: number; reason: string }
  | { kind: 'undeliverable'; status: 'orphaned' | 'failed'; reason: string };

/**
 * The delivery loop of an API process (a few passes at once). Events the process has just stored
 * and matched to their calls are delivered from memory, without reading them back; retries and
 * events a stopped process left behind are claimed from the table, and their calls found at once.
 * Each batch has its call workflows signalled (every call at once, in order within a call) and every
 * outcome recorded in a few statements. Woken by new events, by its own retry schedule and by the
 * periodic sweep; under load its passes are spaced (`PASS_INTERVAL_MS`).
 */
export class InboxDelivery {
  private readonly passes = new Set<Promise<void>>();
  /** Events this process has just stored: delivered from memory, their rows leased to it. */
  private fresh: MatchedInboxEvent[] = [];
  /** Due events may wait in the table (a retry's time came, the sweep ran): the next pass claims. */
  private claimWanted = false;
  /** The last claim filled its batch: more due events wait in the table. */
  private claimBacklog = false;
  private gathering: NodeJS.Timeout | undefined;
  private lastPassAt = Number.NEGATIVE_INFINITY;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryAt = Number.POSITIVE_INFINITY;
  /** Fresh events delivered, their marks not yet written. */
  private deliveredMarks: DeliveredMark[] = [];
  private marksTimer: NodeJS.Timeout | undefined;
  /** The marks' writes, one after another: stopping waits for the last. */
  private markWrites: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly temporal: Client,
    private readonly logger: Logger,
    private readonly markDelayMs = MARK_DELAY_MS,
  ) {}

  /** An event this process stored and matched to its call: no other process claims it before its lease ends. */
  deliverFresh(event: MatchedInboxEvent): void {
    this.fresh.push(event);
    this.wake(false);
  }

  /**
   * Starts a pass soon (see `PASS_INTERVAL_MS`), at once when a full batch waits; `claim` makes it
   * also claim the due events the table holds.
   */
  wake(claim = true): void {
    if (claim) this.claimWanted = true;
    if (this.stopped) return;
    if (this.fresh.length >= BATCH_SIZE || this.claimBacklog) {
      clearTimeout(this.gathering);
      this.startPass();
    } else if (!this.gathering) {
      this.gathering = setTimeout(
        () => this.startPass(),
        Math.max(GATHER_MS, this.lastPassAt + PASS_INTERVAL_MS - Date.now()),
      );
    }
  }

  private startPass(): void {
    this.gathering = undefined;
    // Else a running pass wakes the loop again as it ends.
    if (this.stopped || this.passes.size >= CONCURRENT_PASSES) return;
    this.lastPassAt = Date.now();
    const pass: Promise<void> = this.drain().finally(() => {
      this.passes.delete(pass);
      // Work that came while every pass ran found no pass to start.
      if (this.fresh.length > 0 || this.claimWanted) this.wake(false);
    });
    this.passes.add(pass);
  }

  /** Signals the events still in memory, then writes the delivered marks still waiting. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.gathering);
    await Promise.all([...this.passes]);
    // Stored moments ago: delivered now rather than by another process once their lease ends.
    while (this.fresh.length > 0) if (!(await this.deliverFreshBatch())) break;
    clearTimeout(this.marksTimer);
    await this.writeDeliveredMarks();
  }

  /** Starts a pass in `delayMs`, for events due then (a retry the storing statement scheduled). */
  wakeIn(delayMs: number): void {
    const at = Date.now() + delayMs;
    if (this.stopped || at >= this.retryAt) return;
    clearTimeout(this.retryTimer);
    this.retryAt = at;
    this.retryTimer = setTimeout(() => {
      this.retryAt = Number.POSITIVE_INFINITY;
      this.wake();
    }, at - Date.now());
    this.retryTimer.unref();
  }

  /** A batch of fresh events, then a batch of due ones when wanted: more waiting is the next pass's. */
  private async drain(): Promise<void> {
    if (this.fresh.length > 0 && !(await this.deliverFreshBatch())) return;
    if (!this.claimWanted || this.stopped) return;
    this.claimWanted = false;
    try {
      // The claim's row locks last until the outcomes are written in the same transaction.
      const claimed = await this.db.transaction().execute(async (trx) => {
        const events = await claimDueInboxEvents(trx, BATCH_SIZE);
        if (events.length > 0) await this.deliverBatch(trx, events);
        return events.length;
      });
      this.claimBacklog = claimed === BATCH_SIZE;
      if (this.claimBacklog) this.claimWanted = true;
    } catch (error) {
      // The claimed events were released with the transaction: the next pass takes them again
      // (signals already sent are sent again; the workflow keeps one copy of each fact by its key).
      this.claimBacklog = false;
      this.logger.warn(`inbox delivery failed: ${(error as Error).message}`);
    }
  }

  /** False if it failed: the batch's rows stay pending and are claimed once their lease ends. */
  private async deliverFreshBatch(): Promise<boolean> {
    const fresh = this.fresh.splice(0, BATCH_SIZE);
    try {
      await this.deliverBatch(
        this.db,
        fresh,
        fresh.map((event) => event.call_id),
      );
      return true;
    } catch (error) {
      this.logger.warn(`inbox delivery failed: ${(error as Error).message}`);
      return false;
    }
  }

  /**
   * `matchedCallIds`: the calls fresh events were matched to as they were stored; claimed events'
   * calls are found now, and their outcomes written in the claim's transaction.
   */
  private async deliverBatch(
    db: Executor,
    events: ClaimedInboxEvent[],
    matchedCallIds?: readonly string[],
  ): Promise<void> {
    const callIds = matchedCallIds ?? (await resolveCallIds(this.db, events));
    const settlements = new Map<number, Settlement>();
    const byCall = new Map<string, ClaimedInboxEvent[]>();
    events.forEach((event, i) => {
      const callId = callIds[i];
      if (!callId)
        settlements.set(event.id, settlementOf(unmatched(event.provider, event.event_type, event.attempts)));
      else if (byCall.has(callId)) byCall.get(callId)!.push(event);
      else byCall.set(callId, [event]);
    });
    // Every call at once: a burst costs Temporal less per signal than a trickle (`PASS_INTERVAL_MS`).
    await Promise.all(
      [...byCall].map(async ([callId, callEvents]) => {
        // In order within a call.
        for (const event of callEvents) settlements.set(event.id, await this.signal(callId, event));
      }),
    );
    await this.record(db, settlements, matchedCallIds !== undefined);
  }

  private signal(callId: string, event: ClaimedInboxEvent & { trace?: Context }): Promise<Settlement> {
    return context.with(event.trace ?? ROOT_CONTEXT, () =>
      outdialTracer().startActiveSpan(
        'webhook inbox deliver',
        { attributes: { 'outdial.inbox_event_id': event.id, 'outdial.call_id': callId } },
        (span) => this.signalNow(callId, event).finally(() => span.end()),
      ),
    );
  }

  private async signalNow(callId: string, event: ClaimedInboxEvent): Promise<Settlement> {
    const reader = PROVIDER_EVENT_READERS[event.provider];
    const facts = reader ? reader.facts(event.event_type, event.payload) : [];
    try {
      // An event that tells nothing (post_call_audio) needs no signal.
      if (facts.length > 0)
        await this.temporal.workflow.getHandle(callWorkflowId(callId)).signal(providerFactsSignal, facts);
      webhookDeliveries.inc({ provider: event.provider, result: 'delivered' });
      return { kind: 'delivered', at: Date.now() };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        webhookDeliveries.inc({ provider: event.provider, result: 'orphaned' });
        return { kind: 'undeliverable', status: 'orphaned', reason: 'the call workflow is not running' };
      }
      const reason = (error as Error).message;
      this.logger.warn(`delivery of inbox event ${event.id} failed: ${reason}`);
      // Backed off exponentially over hours (delivery-backoff.ts), then failed for an operator to redeliver.
      const delayMs = deliveryRetryDelay(event.attempts);
      if (delayMs === undefined) webhookDeliveries.inc({ provider: event.provider, result: 'failed' });
      return delayMs === undefined
        ? {
            kind: 'undeliverable',
            status: 'failed',
            reason: `gave up after ${event.attempts + 1} delivery attempts over hours: ${reason}`,
          }
        : { kind: 'retry', delayMs, reason };
    }
  }

  /**
   * One statement per kind of outcome, not one per event. Fresh events' delivered marks are left to
   * `markDeliveredSoon`: their rows are leased to this process, so nothing claims them meanwhile.
   */
  private async record(db: Executor, settlements: Map<number, Settlement>, fresh: boolean): Promise<void> {
    const delivered: DeliveredMark[] = [];
    const groups = new Map<
      string,
      { settlement: Exclude<Settlement, { kind: 'delivered' }>; ids: number[] }
    >();
    for (const [id, settlement] of settlements) {
      if (settlement.kind === 'delivered') {
        delivered.push({ id, at: settlement.at });
        continue;
      }
      const key = JSON.stringify(settlement);
      const group = groups.get(key) ?? { settlement, ids: [] };
      group.ids.push(id);
      groups.set(key, group);
    }
    if (fresh) this.markDeliveredSoon(delivered);
    else await markInboxDelivered(db, delivered);
    for (const { settlement, ids } of groups.values()) {
      switch (settlement.kind) {
        case 'retry':
          await deferInboxEvents(db, ids, settlement.delayMs, settlement.reason);
          break;
        case 'undeliverable':
          await markInboxUndeliverable(db, ids, settlement.status, settlement.reason);
          break;
      }
    }
    for (const { settlement } of groups.values()) {
      if (settlement.kind === 'retry') this.wakeIn(settlement.delayMs);
    }
  }

  private markDeliveredSoon(marks: DeliveredMark[]): void {
    if (marks.length === 0) return;
    this.deliveredMarks.push(...marks);
    if (this.marksTimer || this.stopped) return;
    this.marksTimer = setTimeout(() => {
      this.marksTimer = undefined;
      void this.writeDeliveredMarks();
    }, this.markDelayMs);
  }

  private writeDeliveredMarks(): Promise<void> {
    this.markWrites = this.markWrites.then(async () => {
      const marks = this.deliveredMarks.splice(0);
      try {
        await markInboxDelivered(this.db, marks);
      } catch (error) {
        // Left pending, they are claimed once their lease ends and delivered again (see MARK_DELAY_MS).
        this.logger.warn(`recording ${marks.length} inbox deliveries failed: ${(error as Error).message}`);
      }
    });
    return this.markWrites;
  }
}

/**
 * What becomes of an event no call matches, after `looks` earlier looks (0: as it is stored): looked
 * at again soon, then less often, then orphaned.
 */
export function unmatched(provider: string, eventType: string, looks: number): IfUnmatched {
  const reason = 'no call attempt matches this event';
  // A post-call event cannot overtake the dial's write (see `afterCallEvents`): orphaned at the
  // first look, rather than rewritten five times while it waits for a call that will never match.
  const afterCall = PROVIDER_EVENT_READERS[provider]?.afterCallEvents?.includes(eventType);
  const retryMs = afterCall ? undefined : UNMATCHED_RETRY_MS[looks];
  return retryMs === undefined ? { status: 'orphaned', reason } : { status: 'pending', reason, retryMs };
}

function settlementOf(ifUnmatched: IfUnmatched): Settlement {
  return ifUnmatched.status === 'pending'
    ? { kind: 'retry', delayMs: ifUnmatched.retryMs, reason: ifUnmatched.reason }
    : { kind: 'undeliverable', status: 'orphaned', reason: ifUnmatched.reason };
}
