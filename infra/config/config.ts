import { z } from 'zod';
import { PayloadKeyList, type PayloadKeys } from './payload-keys';

const optionalUrl = z.url().optional();
const port = z.coerce.number().int().min(0).max(65535);
const originList = z.string().transform((value, context) => {
  const origins = value.split(',').map((origin) => origin.trim()).filter(Boolean);
  for (const origin of origins) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin)
      context.addIssue({ code: 'custom', message: `"${origin}" is not an origin (scheme://host[:port])` });
  }
  return origins;
});

/** Every environment variable Outdial reads, parsed once at start-up (README "Environment"). */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  /** The app's role (outdial_app), which row-level security confines. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  /** The tables' owner, for migrations; DATABASE_URL when unset. */
  MIGRATION_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('outdial'),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS: z.stringbool().default(false),
  /** mTLS: the client's PEM certificate and key files (both or neither); either turns TLS on. */
  TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
  /** The PEM CA that signed the server's certificate, when the system's trust store lacks it. */
  TEMPORAL_TLS_CA_PATH: z.string().min(1).optional(),
  /** The name on the server's certificate, when it is not TEMPORAL_ADDRESS's host. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  PUBLIC_BASE_URL: z.url().default('http://127.0.0.1:3000'),
  /** When set, `/docs` (Swagger UI and the OpenAPI document) needs `Authorization: Bearer <token>`. */
  DOCS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** When set, `/metrics` needs `Authorization: Bearer <token>` (a Prometheus `bearer_token`). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * Temporal payloads (numbers, names, transcripts) are encrypted under PAYLOAD_KEY_ID and decrypted
   * under any key listed, so a key is rotated by listing the new one first and switching the id after.
   */
  PAYLOAD_KEYS: PayloadKeyList.optional(),
  PAYLOAD_KEY_ID: z.string().min(1).optional(),
  /** Temporal UI origins whose pages may call /v1/admin/codec without the admin token (the dev server's UI). */
  CODEC_UI_ORIGINS: originList.default([]),
  /** `npm run worker`: its /metrics (the Temporal runtime's and the process's), on all interfaces. */
  WORKER_METRICS_PORT: port.default(9464),
  /** Where a worker's Temporal runtime serves its metrics to the worker's /metrics, on loopback. */
  TEMPORAL_METRICS_PORT: port.default(9465),
  /** On SIGTERM a worker stops polling and gives its in-flight activities this long to finish (then cancels them). */
  WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(10),
  /** On SIGTERM the API answers /readyz 503 this long before it stops accepting connections (a load balancer's probes). */
  API_DRAIN_DELAY_SECONDS: z.coerce.number().int().min(0).max(600).default(0),
  /** Then in-flight requests have this long to be answered; connections still open after it are closed. */
  API_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  /** pino's level for the API's and the worker's JSON log lines. */
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** Human-readable lines (pino-pretty) instead of JSON; NODE_ENV=development turns it on too. */
  LOG_PRETTY: z.stringbool().optional(),
  /** Traces are exported over OTLP/HTTP there when set (`http://collector:4318`); none otherwise. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  /** Delivered webhooks are deleted from the inbox this many days after delivery. */
  INBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  INBOX_PURGE_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(3600),
  /**
   * How long Temporal keeps a closed workflow's history; set on the namespace at start-up (the
   * embedded engines always; an existing cluster only when this is given, else its own setting stays).
   */
  TEMPORAL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).optional(),

  /** The public API's rate limit, per API process (webhooks and health probes are exempt). */
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Requests per window for each tenant (all its keys and sessions) and for the operator's token. */
  RATE_LIMIT_PER_TENANT: z.coerce.number().int().min(1).default(600),
  /** Requests per window for each client address without valid credentials (sign-in, wrong keys). */
  RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(120),
  /** How often the API looks for campaign starts that never reached Temporal, and how old one must be. */
  CAMPAIGN_RECONCILE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),

  ELEVENLABS_API_KEY: z.string().min(1).optional(),
  ELEVENLABS_BASE_URL: optionalUrl,
  ELEVENLABS_AGENT_ID: z.string().min(1).default('agent_outdial_demo'),
  ELEVENLABS_PHONE_NUMBER_ID: z.string().min(1).default('phnum_outdial_demo'),
  ELEVENLABS_TELEPHONY: z.enum(['twilio', 'sip_trunk']).default('twilio'),
  ELEVENLABS_WEBHOOK_SECRET: z.string().min(8),
  ELEVENLABS_TOOL_SECRET: z.string().min(8),
  /** Sent as each call's prompt override (conversation_config_override.agent.prompt.prompt). */
  ELEVENLABS_PROMPT_OVERRIDE: z.string().min(1).optional(),

  ULTRAVOX_API_KEY: z.string().min(1).optional(),
  ULTRAVOX_BASE_URL: optionalUrl,
  /** Comma-separated: every listed key is accepted while one is being rotated. */
  ULTRAVOX_WEBHOOK_SECRET: z.string().min(8).optional(),
  /** Ultravox dials through our Asterisk (seed 001 §4.1): host[:port] of its PJSIP `ultravox` endpoint. */
  ULTRAVOX_SIP_TO_HOST: z.string().min(1).default('asterisk.invalid:5043'),
  ULTRAVOX_SIP_USERNAME: z.string().min(1).default('ultravox'),
  ULTRAVOX_SIP_PASSWORD: z.string().min(1).default('simulator'),
  /** Caller number Ultravox presents to Asterisk; the dialplan replaces it with the trunk's caller id. */
  ULTRAVOX_SIP_FROM: z.string().min(1).default('outdial'),
  ULTRAVOX_SYSTEM_PROMPT: z.string().min(1).optional(),

  ASTERISK_ARI_URL: optionalUrl,
  ASTERISK_ARI_USER: z.string().min(1).optional(),
  ASTERISK_ARI_PASSWORD: z.string().min(1).optional(),
  ASTERISK_WEBHOOK_TOKEN: z.string().min(8).optional(),
  /** PJSIP endpoint the originate goes out through (`PJSIP/<number>@<trunk>`). */
  ASTERISK_TRUNK: z.string().min(1).default('trunk'),
  ASTERISK_CALLER_ID: z.string().min(1).optional(),

  /** LLM_LABEL_ONLY campaigns: an OpenAI-compatible API root; without it such campaigns are refused. */
  LABEL_MODEL_BASE_URL: optionalUrl,
  LABEL_MODEL_API_KEY: z.string().min(1).optional(),
  LABEL_MODEL_NAME: z.string().min(1).default('gpt-4o-mini'),
  /** Past this the turn is labelled by keywords: the caller is waiting on the line. */
  LABEL_MODEL_TIMEOUT_MS: z.coerce.number().int().min(100).max(10_000).default(1500),
}).superRefine((env, context) => {
  const issue = (name: string, message: string) => context.addIssue({ code: 'custom', path: [name], message });
  const { PAYLOAD_KEYS: keys, PAYLOAD_KEY_ID: id } = env;
  if (keys && !id) issue('PAYLOAD_KEY_ID', 'names the key of PAYLOAD_KEYS that encrypts');
  else if (id && !keys) issue('PAYLOAD_KEYS', 'must hold the key PAYLOAD_KEY_ID names');
  else if (id && keys && !keys.has(id)) issue('PAYLOAD_KEY_ID', `names no key of PAYLOAD_KEYS (${[...keys.keys()].join(', ')})`);
  // A certificate without its key (or the reverse) would connect without mTLS and be refused later.
  if (Boolean(env.TEMPORAL_TLS_CERT_PATH) !== Boolean(env.TEMPORAL_TLS_KEY_PATH)) {
    const absent = env.TEMPORAL_TLS_CERT_PATH ? 'TEMPORAL_TLS_KEY_PATH' : 'TEMPORAL_TLS_CERT_PATH';
    issue(absent, 'mTLS needs both TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH');
  }
});

export type AppConfig = Readonly<z.infer<typeof EnvSchema>>;

/** The names of every variable parseConfig reads: a name outside this list is ignored, not an error. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment; a missing or malformed variable stops start-up naming the variable. */
export function parseConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const received = env[name] === undefined ? 'missing' : 'malformed';
      return `  ${name} (${received}): ${issue.message}`;
    });
    throw new ConfigError(`Invalid environment configuration:\n${problems.join('\n')}`);
  }
  if (result.data.NODE_ENV === 'production') {
    const weak = weakProductionSecrets(result.data);
    if (weak.length > 0) throw new ConfigError(`Refusing to start in production with weak secrets:\n${weak.join('\n')}`);
  }
  return Object.freeze(result.data);
}

const MIN_PRODUCTION_SECRET = 32;
/** Values that ship in this repository (local stacks, the simulator, the SIP template's example). */
const KNOWN_VALUES = new Set(['simulator', 'ultravox', 'dev-admin-token-change-me', 'change-me']);

/**
 * In production every secret that guards an endpoint is long and not one this repository ships:
 * a SIP endpoint that dials any number (`_X.`) behind `ultravox` / `simulator` is a toll-fraud line.
 * The SIP and ARI passwords count only where that provider is configured.
 */
function weakProductionSecrets(config: z.infer<typeof EnvSchema>): string[] {
  const secrets: Record<string, string | undefined> = {
    ADMIN_TOKEN: config.ADMIN_TOKEN,
    ELEVENLABS_WEBHOOK_SECRET: config.ELEVENLABS_WEBHOOK_SECRET,
    ELEVENLABS_TOOL_SECRET: config.ELEVENLABS_TOOL_SECRET,
    ULTRAVOX_WEBHOOK_SECRET: config.ULTRAVOX_WEBHOOK_SECRET,
    ASTERISK_WEBHOOK_TOKEN: config.ASTERISK_WEBHOOK_TOKEN,
    ...(config.ULTRAVOX_API_KEY ? { ULTRAVOX_SIP_PASSWORD: config.ULTRAVOX_SIP_PASSWORD } : {}),
    ...(config.ASTERISK_ARI_URL ? { ASTERISK_ARI_PASSWORD: config.ASTERISK_ARI_PASSWORD ?? '' } : {}),
  };
  const weak: string[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    if (value === undefined) continue;
    if (KNOWN_VALUES.has(value) || value.startsWith('dev-')) weak.push(`  ${name}: the development default; set a secret of your own`);
    else if (value.length < MIN_PRODUCTION_SECRET) weak.push(`  ${name}: shorter than ${MIN_PRODUCTION_SECRET} characters`);
  }
  if (!config.PAYLOAD_KEYS) weak.push('  PAYLOAD_KEYS: missing; Temporal history would hold numbers, names and transcripts in clear');
  for (const [id, key] of config.PAYLOAD_KEYS ?? []) {
    // The local stacks' key is ASCII starting with `dev-`, as the other shipped secrets do.
    if (key.subarray(0, 4).toString() === 'dev-') weak.push(`  PAYLOAD_KEYS: key "${id}" is the development default; generate one of your own`);
  }
  return weak;
}

/** The payload keys, when configured (parseConfig has checked that PAYLOAD_KEY_ID names one). */
export function payloadKeysOf(config: AppConfig): PayloadKeys | undefined {
  if (!config.PAYLOAD_KEYS || !config.PAYLOAD_KEY_ID) return undefined;
  return { current: config.PAYLOAD_KEY_ID, byId: config.PAYLOAD_KEYS };
}

/** Providers whose real credentials are configured; the others are served by the simulator. */
export function providersWithCredentials(config: AppConfig): Set<'elevenlabs' | 'ultravox' | 'asterisk'> {
  const real = new Set<'elevenlabs' | 'ultravox' | 'asterisk'>();
  if (config.ELEVENLABS_API_KEY) real.add('elevenlabs');
  if (config.ULTRAVOX_API_KEY) real.add('ultravox');
  if (config.ASTERISK_ARI_PASSWORD) real.add('asterisk');
  return real;
}
