import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAri } from './ari.routes';
import type { Adversarial, SimContext, SimTiming } from './calls';
import { handleElevenLabs } from './elevenlabs.routes';
import { handleLabelModel, type LabelModelState } from './label-model.routes';
import { Recorder, type RecordedDial, type RecordedRequest, type RecordedWebhook } from './recorder';
import type { RouteRequest, RouteResult } from './routing';
import { createScenarioChooser, seededRandom, type ScenarioRule } from './scenarios';
import { handleUltravox } from './ultravox.routes';
import { DIALPLAN_RETRY_DELAYS_MS } from './dialplan';
import { WebhookSender, type Logger } from './webhook-sender';
import { WebhookTargets } from './webhook-targets';

export interface SimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /**
   * Where the Outdial API listens, e.g. http://127.0.0.1:3000; webhooks go to its provider paths.
   * Several API processes' URLs: each attempt goes to the next, round-robin, as through a load balancer.
   */
  webhookBaseUrl: string | readonly string[];
  /** The dialplan's waits between webhook attempts (1, 2, 4, 8 s); shorter in tests. */
  asteriskRetryDelaysMs?: readonly number[];
  elevenlabsWebhookSecret: string;
  elevenlabsToolSecret: string;
  ultravoxWebhookSecret: string;
  asteriskWebhookToken: string;
  scenario?: ScenarioRule;
  /** Seeds the random scenario mix (used when neither a `scenario` variable nor a rule decides). */
  seed?: number;
  timing?: Partial<SimTiming>;
  adversarial?: Adversarial;
  /** Also send `post_call_audio` after `post_call_transcription`. */
  elevenlabsAudioWebhook?: boolean;
  logger?: Logger;
}

export interface Simulator {
  url: string;
  close(): Promise<void>;
  requests: RecordedRequest[];
  webhooks: RecordedWebhook[];
  dials(): RecordedDial[];
  maxConcurrentCalls(): number;
  /** Sends this simulator's webhooks and tool calls to another API base URL (or several) from now on. */
  retarget(webhookBaseUrl: string | readonly string[]): void;
  /** The simulated label model (LLM_LABEL_ONLY); set `fault` to make it fail. */
  labelModel: LabelModelState;
  /** Resolves when every call's script has finished and its webhooks were delivered. */
  waitForIdle(): Promise<void>;
}

const DEFAULT_TIMING: SimTiming = { ringMs: 50, talkMs: 150, webhookDelayMs: 20, dialResponseDelayMs: 0 };

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  // It answers for the real providers and signs webhooks with known secrets: never in production.
  if (process.env.NODE_ENV === 'production') {
    throw new Error('the provider simulator refuses to start with NODE_ENV=production');
  }
  const recorder = new Recorder();
  const logger = options.logger ?? (() => undefined);
  const pending = new Set<Promise<unknown>>();
  const sleeping = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let closed = false;
  const targets = new WebhookTargets(options.webhookBaseUrl);

  const ctx: SimContext = {
    settings: {
      webhookBaseUrl: targets.base,
      elevenlabsWebhookSecret: options.elevenlabsWebhookSecret,
      elevenlabsToolSecret: options.elevenlabsToolSecret,
      ultravoxWebhookSecret: options.ultravoxWebhookSecret,
      asteriskWebhookToken: options.asteriskWebhookToken,
      timing: { ...DEFAULT_TIMING, ...options.timing },
      adversarial: options.adversarial ?? {},
      elevenlabsAudioWebhook: options.elevenlabsAudioWebhook ?? false,
    },
    recorder,
    sender: new WebhookSender({
      recorder,
      logger,
      spread: (url) => targets.spread(url),
      retries: {
        // ElevenLabs does not retry; Ultravox retries a failed connection.
        elevenlabs: { delaysMs: [], retryServerErrors: false },
        ultravox: { delaysMs: [25, 50], retryServerErrors: false },
        asterisk: {
          delaysMs: options.asteriskRetryDelaysMs ?? DIALPLAN_RETRY_DELAYS_MS,
          retryServerErrors: true,
        },
      },
    }),
    chooser: createScenarioChooser(options.scenario, options.seed),
    logger,
    random: seededRandom(options.seed ?? 1),
    calls: new Map(),
    track(work) {
      const tracked = work
        .catch((error: unknown) =>
          logger(`call script failed: ${error instanceof Error ? error.stack : String(error)}`),
        )
        .finally(() => pending.delete(tracked));
      pending.add(tracked);
    },
    sleep(ms) {
      if (closed || ms <= 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const entry = {
          resolve,
          timer: setTimeout(() => {
            sleeping.delete(entry);
            resolve();
          }, ms),
        };
        sleeping.add(entry);
      });
    },
    isClosed: () => closed,
  };

  const labelModel: LabelModelState = {};
  const route = (request: RouteRequest): RouteResult =>
    handleLabelModel(labelModel, request) ??
    handleElevenLabs(ctx, request) ??
    handleUltravox(ctx, request) ??
    handleAri(ctx, request) ?? { status: 404, body: { detail: 'Not Found' } };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://simulator');
    const body = parseBody(raw);
    recorder.recordRequest({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: flatHeaders(req),
      body,
      at: Date.now(),
    });
    const result = route({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    });
    if (result.delayMs) await ctx.sleep(result.delayMs);
    if ('destroy' in result) {
      req.socket.destroy();
      return;
    }
    if ('bytes' in result) {
      res.writeHead(result.status, { 'content-type': result.contentType }).end(result.bytes);
      return;
    }
    if (result.body === undefined) {
      res.writeHead(result.status).end();
      return;
    }
    res.writeHead(result.status, { 'content-type': 'application/json' }).end(JSON.stringify(result.body));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger(`request failed: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: 'simulator error' }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    requests: recorder.requests,
    webhooks: recorder.webhooks,
    labelModel,
    retarget(webhookBaseUrl) {
      targets.set(webhookBaseUrl);
      ctx.settings.webhookBaseUrl = targets.base;
    },
    dials: () => recorder.dials(),
    maxConcurrentCalls: () => recorder.maxConcurrentCalls(),
    async waitForIdle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    async close() {
      closed = true;
      for (const entry of sleeping) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      sleeping.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...pending]);
    },
  };
}
