import type { Recorder, SimProvider } from './recorder';

export interface OutgoingWebhook {
  provider: SimProvider;
  event: string;
  url: string;
  /** The exact bytes sent; signatures are computed over this string. */
  body: string;
  /** JSON unless given: the dialplan's CURL() posts a form. */
  contentType?: string;
  headers: Record<string, string>;
  callId: string | undefined;
  providerCallId: string;
}

export type Logger = (line: string) => void;

/** How a provider tries a webhook again: after each of `delaysMs`, as long as it is not answered. */
export interface RetryPolicy {
  delaysMs: readonly number[];
  /** A 5xx answer counts as unanswered (the dialplan's webhook subroutine), or only a failed connection does. */
  retryServerErrors: boolean;
}

export interface WebhookSenderOptions {
  recorder: Recorder;
  logger: Logger;
  retries: Record<SimProvider, RetryPolicy>;
  timeoutMs?: number;
  /** Where each attempt of a webhook goes (see WebhookTargets); the webhook's own URL when absent. */
  spread?: (url: string) => (attempt: number) => string;
}

/** Posts webhooks like the providers do: one POST, tried again as each provider's policy says. */
export class WebhookSender {
  constructor(private readonly options: WebhookSenderOptions) {}

  async send(webhook: OutgoingWebhook): Promise<{ status?: number; body?: string }> {
    const policy = this.options.retries[webhook.provider];
    let attempts = 0;
    let error: string | undefined;
    let answer: { status: number; body: string } | undefined;
    const route = this.options.spread?.(webhook.url) ?? (() => webhook.url);
    let url = webhook.url;
    const sentAt = Date.now();
    for (;;) {
      attempts += 1;
      url = route(attempts);
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': webhook.contentType ?? 'application/json', ...webhook.headers },
          body: webhook.body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
        });
        answer = { status: response.status, body: await response.text() };
        error = undefined;
        if (!response.ok) {
          this.options.logger(
            `webhook ${webhook.event} → ${url}: HTTP ${response.status} (attempt ${attempts})`,
          );
        }
        if (response.status < 500 || !policy.retryServerErrors) break;
      } catch (cause) {
        answer = undefined;
        error = cause instanceof Error ? cause.message : String(cause);
        this.options.logger(`webhook ${webhook.event} → ${url} failed (attempt ${attempts}): ${error}`);
      }
      const delay = policy.delaysMs[attempts - 1];
      if (delay === undefined) break;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    this.options.recorder.recordWebhook({
      ...webhook,
      url,
      status: answer?.status,
      responseBody: answer?.body,
      error,
      attempts,
      sentAt,
      at: Date.now(),
    });
    return answer ?? {};
  }
}
