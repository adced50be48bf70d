import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { Kysely } from 'kysely';
import { callExists, findActiveCallByPhone, findCallByProviderCallId } from '../../activities/db/calls.repository';
import {
  markInboxDelivered,
  markInboxUndeliverable,
  pendingInboxEvents,
  storeInboxEvent,
  type InboxEntry,
} from '../../activities/db/inbox.repository';
import type { DB } from '../../schema/types';
import { providerEventSignal } from '../../workflows/call.messages';
import { PROVIDER_EVENT_READERS } from './provider-events';

interface StoredEvent {
  id: number;
  attempts?: number;
  provider: string;
  event_type: string;
  call_id: string | null;
  payload: unknown;
}

const RELAY_INTERVAL_MS = 2000;
/** Events younger than this are still being delivered by the request that stored them. */
const RELAY_MIN_AGE_MS = 1000;
const MAX_DELIVERY_ATTEMPTS = 20;
/** Relay rounds an event may wait for its call attempt to name the provider's call id. */
const UNMATCHED_ATTEMPTS = 15;
const FIRST_DELIVERY_RETRIES_MS = [50, 100, 200, 400];

/**
 * The webhook inbox: an event is stored once (unique provider + event key), answered at once, and
 * delivered to its call workflow as signals. Pending events are swept again after a restart.
 */
@Injectable()
export class InboxService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('WebhookInbox');
  private relayTimer: NodeJS.Timeout | undefined;
  private relaying = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @Inject(Kysely) private readonly db: Kysely<DB>,
    @Inject(Client) private readonly temporal: Client,
  ) {}

  onModuleInit(): void {
    this.relayTimer = setInterval(() => void this.relayPending(), RELAY_INTERVAL_MS);
    this.relayTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.relayTimer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Stores the event; returns false for a duplicate. Delivery continues after the response. */
  async accept(entry: InboxEntry): Promise<boolean> {
    const id = await storeInboxEvent(this.db, entry);
    if (id === undefined) return false;
    const delivery = this.deliver({
      id,
      provider: entry.provider,
      event_type: entry.eventType,
      call_id: entry.callId,
      payload: entry.payload,
    }).finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
    return true;
  }

  async relayPending(): Promise<void> {
    if (this.relaying) return;
    this.relaying = true;
    try {
      for (const event of await pendingInboxEvents(this.db, RELAY_MIN_AGE_MS, 100)) {
        if (event.attempts >= MAX_DELIVERY_ATTEMPTS) {
          await markInboxUndeliverable(this.db, event.id, 'failed', 'gave up after repeated delivery failures');
        } else {
          await this.deliver(event);
        }
      }
    } catch (error) {
      this.logger.warn(`inbox relay failed: ${(error as Error).message}`);
    } finally {
      this.relaying = false;
    }
  }

  private async deliver(event: StoredEvent): Promise<void> {
    try {
      const reader = PROVIDER_EVENT_READERS[event.provider];
      const facts = reader ? reader.facts(event.event_type, event.payload) : [];
      const callId = await this.resolveCallIdSoon(event);
      if (!callId) {
        // The workflow may not have recorded the provider's call id yet: let the relay retry a while.
        const status = (event.attempts ?? 0) + 1 >= UNMATCHED_ATTEMPTS ? 'orphaned' : 'pending';
        await markInboxUndeliverable(this.db, event.id, status, 'no call attempt matches this event');
        return;
      }
      const handle = this.temporal.workflow.getHandle(`call-${callId}`);
      for (const fact of facts) await handle.signal(providerEventSignal, fact);
      await markInboxDelivered(this.db, event.id);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        await markInboxUndeliverable(this.db, event.id, 'orphaned', 'the call workflow is not running');
        return;
      }
      // Left pending: the relay tries again.
      this.logger.warn(`delivery of inbox event ${event.id} failed: ${(error as Error).message}`);
      await markInboxUndeliverable(this.db, event.id, 'pending', (error as Error).message).catch(() => {});
    }
  }

  /**
   * A webhook without our call id (ElevenLabs call_initiation_failure) can overtake the workflow's
   * write of the provider's call id by a few hundred milliseconds: look again briefly before leaving
   * it to the relay, which would add seconds to a busy or unanswered call's final record.
   */
  private async resolveCallIdSoon(event: StoredEvent): Promise<string | undefined> {
    const first = await this.resolveCallId(event);
    if (first || event.attempts !== undefined) return first;
    for (const delayMs of FIRST_DELIVERY_RETRIES_MS) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const callId = await this.resolveCallId(event);
      if (callId) return callId;
    }
    return undefined;
  }

  private async resolveCallId(event: StoredEvent): Promise<string | undefined> {
    if (event.call_id && (await callExists(this.db, event.call_id))) return event.call_id;
    const reader = PROVIDER_EVENT_READERS[event.provider];
    const providerCallId = reader?.providerCallId(event.payload);
    if (providerCallId) {
      const provider = reader?.anyProvider ? undefined : event.provider;
      const byProviderId = await findCallByProviderCallId(this.db, provider, providerCallId);
      if (byProviderId) return byProviderId.id;
    }
    const phone = reader?.phone?.(event.payload);
    return phone ? (await findActiveCallByPhone(this.db, phone))?.id : undefined;
  }
}
