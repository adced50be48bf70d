/**
 * Where the simulator's webhooks and tool calls go: one API base URL, or several behind what acts
 * as a round-robin load balancer.
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

  /**
   * Where each attempt of one webhook posts: `url` itself with one target; else the first attempt
   * on the next target in turn and each retry on the one after, as a balancer skips a backend that
   * just failed.
   */
  spread(url: string): (attempt: number) => string {
    if (this.urls.length === 1 || !url.startsWith(this.base)) return () => url;
    const { urls } = this;
    const first = this.next;
    this.next = (this.next + 1) % urls.length;
    const path = url.slice(this.base.length);
    return (attempt) => urls[(first + attempt - 1) % urls.length]! + path;
  }
}
