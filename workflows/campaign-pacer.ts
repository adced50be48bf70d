import { msUntilWindowOpens } from '../domain/calling-window';
import type { CampaignSettings } from './campaign.messages';

/**
 * Dials are spaced by 1/callsPerSecond; above 10 per second they go out in bursts of at most
 * callsPerSecond/10, each burst followed by the gap its size earns, so the rate still holds.
 */
const PACING_TICK_MS = 100;

/**
 * When a campaign may dial: calls-per-second is a floor on the gap between two dials, kept across
 * pause/resume and continue-as-new, and no dial goes out outside the calling window.
 */
export class Pacer {
  private readonly minGapMs: number;

  constructor(
    private readonly settings: Pick<CampaignSettings, 'callsPerSecond' | 'callingWindow' | 'timezone'>,
    /** Workflow time of the latest dial (a burst's share of the rate included). */
    public lastStartMs: number,
  ) {
    this.minGapMs = 1000 / Math.max(settings.callsPerSecond, 0.001);
  }

  /**
   * Milliseconds until the next dial may go out, 0 when it may now. Calling hours are kept here
   * rather than by each call: calls would wait for the window on their own, but would then all dial
   * the moment it opens.
   */
  msUntilNextDial(): number {
    const gap = this.lastStartMs + this.minGapMs - Date.now();
    if (gap > 0) return gap;
    return msUntilWindowOpens(Date.now(), this.settings.callingWindow, this.settings.timezone);
  }

  /**
   * Dials one workflow task may start: one start per task caps a campaign at a few calls per
   * second, so a high rate starts several together.
   */
  get burst(): number {
    return Math.max(1, Math.floor(PACING_TICK_MS / this.minGapMs));
  }

  /** A burst of `count` dials starting now takes its share of the rate up front. */
  spend(count: number): void {
    this.lastStartMs = Date.now() + (count - 1) * this.minGapMs;
  }
}
