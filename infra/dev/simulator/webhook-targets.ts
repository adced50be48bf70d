/**
 * Where the simulator's webhooks and tool calls go: one API base URL, or several behind what acts
 * as a round-robin load balancer, each attempt (a provider's retry included) to the next one.
 */
export class WebhookTargets {
  private urls: string[] = [];
  private next = 0;

  constructor(targets: string | readonly string[]) {
    this.set(targets);
  }

  /** The first target: webhooks are built against it, then routed. */
  get base(): string {
    return this.urls[0]!;
  }

  set(targets: string | readonly string[]): void {
    const list = (typeof targets === 'string' ? [targets] : [...targets]).map((url) =>
      url.replace(/\/+$/, ''),
    );
    if (list.length === 0) throw new Error('the simulator needs at least one webhook target');
    this.urls = list;
    this.next = 0;
  }

  /** The URL one attempt posts to: `url` itself with one target, else on the next target in turn. */
  route(url: string): string {
    if (this.urls.length === 1 || !url.startsWith(this.base)) return url;
    const target = this.urls[this.next % this.urls.length]!;
    this.next = (this.next + 1) % this.urls.length;
    return target + url.slice(this.base.length);
  }
}
