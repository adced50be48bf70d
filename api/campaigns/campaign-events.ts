import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { setTimeout as delay } from 'node:timers/promises';
import { Observable } from 'rxjs';
import { CampaignsService } from './campaigns.service';

/** How often an open campaign page's numbers are read again, at most. */
const POLL_MS = 1000;
/**
 * A read that takes longer (a campaign of 100,000 contacts takes about half a second) waits this many
 * times its own duration before the next, so one open page keeps Postgres busy a third of the time
 * at most.
 */
const BACKOFF_FACTOR = 2;
const ENDED = new Set(['completed', 'cancelled']);

export interface ProgressEvent {
  type: 'progress';
  data: string;
}

/**
 * The campaign page's live feed. Counters are read from Postgres, where every call's final record
 * lands, once a second per open page (less often when a read is slow), never two reads at once;
 * only a change is sent, and the stream ends after the campaign's last state.
 */
@Injectable()
export class CampaignEvents {
  constructor(@Inject(CampaignsService) private readonly campaigns: CampaignsService) {}

  progress(tenantId: string, campaignId: string): Observable<ProgressEvent> {
    return new Observable<ProgressEvent>((subscriber) => {
      let open = true;
      let sent = '';
      void (async () => {
        while (open) {
          const started = Date.now();
          const stats = await this.campaigns.stats(tenantId, campaignId);
          const json = JSON.stringify(stats);
          if (json !== sent && open) subscriber.next({ type: 'progress', data: json });
          sent = json;
          if (ENDED.has(stats.status)) return subscriber.complete();
          await delay(Math.max(POLL_MS, (Date.now() - started) * BACKOFF_FACTOR));
        }
      })().catch((error: unknown) => subscriber.error(error));
      return () => {
        open = false;
      };
    });
  }
}

const logger = new Logger('CampaignEvents');

/** Writes `events` as text/event-stream until they end or the browser goes away. */
export function sendEvents(req: Request, res: Response, events: Observable<ProgressEvent>): void {
  res.status(200).set({
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // A proxy that buffers would hold every update until the stream ends.
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  const subscription = events.subscribe({
    next: (event) => res.write(`event: ${event.type}\ndata: ${event.data}\n\n`),
    error: (error: unknown) => {
      logger.warn(`event stream failed: ${(error as Error).message}`);
      res.end();
    },
    complete: () => res.end(),
  });
  req.on('close', () => subscription.unsubscribe());
}
