import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { distinctUntilChanged, from, map, switchMap, takeWhile, timer, type Observable } from 'rxjs';
import { CampaignsService } from './campaigns.service';

/** How often an open campaign page's numbers are read again. */
const POLL_MS = 1000;
const ENDED = new Set(['completed', 'cancelled']);

export interface ProgressEvent {
  type: 'progress';
  data: string;
}

/**
 * The campaign page's live feed. Counters are read from Postgres, where every call's final record
 * lands, once a second per open page; only a change is sent, and the stream ends after the
 * campaign's last state.
 */
@Injectable()
export class CampaignEvents {
  constructor(@Inject(CampaignsService) private readonly campaigns: CampaignsService) {}

  progress(tenantId: string, campaignId: string): Observable<ProgressEvent> {
    return timer(0, POLL_MS).pipe(
      // A slow read is not overlapped by the next tick: switchMap drops the older one.
      switchMap(() => from(this.campaigns.stats(tenantId, campaignId))),
      map((stats) => ({ stats, json: JSON.stringify(stats) })),
      distinctUntilChanged((a, b) => a.json === b.json),
      takeWhile(({ stats }) => !ENDED.has(stats.status), true),
      map(({ json }) => ({ type: 'progress' as const, data: json })),
    );
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
