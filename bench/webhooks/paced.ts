import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface PacedRequest {
  body: string;
  headers: Record<string, string>;
}

export interface PacedResult {
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** Each request's latency from the moment it was due, not from when a socket took it. */
  latenciesMs: number[];
}

/**
 * An open-loop load at a steady rate: request i is due at start + i/rate and is timed from then,
 * so a slow server delays the clock of the requests queued behind it (no coordinated omission).
 * autocannon's own rate limit sends each connection's share for a second back to back at the top of
 * the second and corrects for omission with a 1 ms expected interval, which measures bursts rather
 * than the steady arrival a provider's webhooks make.
 */
export async function pacedLoad(options: {
  url: string;
  rate: number;
  seconds: number;
  connections: number;
  /** Sent at the same rate over the same sockets before the measured seconds, and not counted. */
  leadInSeconds: number;
  nextRequest: () => PacedRequest;
}): Promise<PacedResult> {
  const url = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const leadIn = Math.round(options.rate * options.leadInSeconds);
  const total = leadIn + Math.round(options.rate * options.seconds);
  const result: PacedResult = { sent: 0, ok: 0, non2xx: 0, errors: 0, latenciesMs: [] };
  const pending = new Set<Promise<void>>();
  const start = performance.now();
  const send = (dueAt: number, counted: boolean) => {
    const { body, headers } = options.nextRequest();
    if (counted) result.sent += 1;
    const done = new Promise<void>((resolve) => {
      const req = httpRequest(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (counted && res.statusCode !== undefined && res.statusCode < 300) {
              result.ok += 1;
              result.latenciesMs.push(performance.now() - dueAt);
            } else if (counted) result.non2xx += 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        if (counted) result.errors += 1;
        resolve();
      });
      req.end(body);
    });
    pending.add(done);
    void done.then(() => pending.delete(done));
  };
  const interval = 1000 / options.rate;
  let next = 0;
  while (next < total) {
    const now = performance.now();
    while (next < total && start + next * interval <= now) send(start + interval * next, next++ >= leadIn);
    // Timers fire at about 1 ms granularity: requests due meanwhile go out together on the next tick.
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, start + next * interval - performance.now())),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return result;
}
