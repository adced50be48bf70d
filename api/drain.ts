import type { Server } from 'node:http';
import { Injectable, type INestApplication } from '@nestjs/common';

/** Whether this API process is shutting down; /readyz answers 503 from the first signal on. */
@Injectable()
export class DrainState {
  draining = false;
}

/** How often, while draining, connections whose last request was answered are closed. */
const IDLE_SWEEP_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the API out of service without cutting a request off: /readyz turns 503 (and stays so
 * for `delaySeconds`, for a load balancer's probes to notice), then the listener closes (new
 * connections are refused), requests in flight are answered, and each keep-alive connection is
 * closed once it is idle. Connections still open after `graceSeconds` (an event stream) are cut.
 * Then the app closes: its shutdown hooks deliver the webhooks it still holds.
 */
export async function drainApi(
  app: INestApplication,
  settings: { delaySeconds: number; graceSeconds: number },
): Promise<void> {
  app.get(DrainState).draining = true;
  await sleep(settings.delaySeconds * 1000);
  const server = app.getHttpServer() as Server;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  const cut = setTimeout(() => server.closeAllConnections(), settings.graceSeconds * 1000);
  try {
    server.closeIdleConnections();
    await closed;
  } finally {
    clearInterval(sweep);
    clearTimeout(cut);
  }
  await app.close();
}
