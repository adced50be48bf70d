import type { Recorder, SimProvider } from './recorder';

export interface OutgoingWebhook {
  provider: SimProvider;
  event: string;
  url: string;
  /** The exact bytes sent; signatures are computed over this string. */
  body: string;
  headers: Record<string, string>;
  callId: string | undefined;
  providerCallId: string;
}

export type Logger = (line: string) => void;

export interface WebhookSenderOptions {
  recorder: Recorder;
  logger: Logger;
  /** Extra attempts after a network error (never after an HTTP answer, whatever its status). */
  networkRetries: Record<SimProvider, number>;
  timeoutMs?: number;
}

/** Posts webhooks like the providers do: one POST, a few retries only when the connection failed. */
export class WebhookSender {
  constructor(private readonly options: WebhookSenderOptions) {}

  async send(webhook: OutgoingWebhook): Promise<{ status?: number; body?: string }> {
    const retries = this.options.networkRetries[webhook.provider];
    let attempts = 0;
    let error: string | undefined;
    const sentAt = Date.now();
    for (;;) {
      attempts += 1;
      try {
        const response = await fetch(webhook.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...webhook.headers },
          body: webhook.body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
        });
        const responseBody = await response.text();
        this.options.recorder.recordWebhook({
          ...webhook,
          status: response.status,
          responseBody,
          error: undefined,
          attempts,
          sentAt,
          at: Date.now(),
        });
        if (!response.ok) {
          this.options.logger(`webhook ${webhook.event} → ${webhook.url}: HTTP ${response.status}`);
        }
        return { status: response.status, body: responseBody };
      } catch (cause) {
        error = cause instanceof Error ? cause.message : String(cause);
        this.options.logger(
          `webhook ${webhook.event} → ${webhook.url} failed (attempt ${attempts}): ${error}`,
        );
        if (attempts > retries) break;
        await new Promise((resolve) => setTimeout(resolve, 25 * attempts));
      }
    }
    this.options.recorder.recordWebhook({
      ...webhook,
      status: undefined,
      responseBody: undefined,
      error,
      attempts,
      sentAt,
      at: Date.now(),
    });
    return {};
  }
}
