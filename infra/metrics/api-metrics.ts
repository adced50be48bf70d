import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry } from './registry';

const registers = [metricsRegistry];

/** What became of each provider webhook as it arrived. */
export type WebhookResult = 'accepted' | 'duplicate' | 'orphaned' | 'malformed' | 'refused';

export const webhooksReceived = new Counter({
  name: 'outdial_webhooks_received_total',
  help: 'Provider webhooks by provider and what became of them: accepted (stored for its call), duplicate, orphaned (no call), malformed (400), refused (bad signature or token, 401).',
  labelNames: ['provider', 'result'] as const,
  registers,
});

export const webhookDeliveries = new Counter({
  name: 'outdial_webhook_deliveries_total',
  help: 'Stored webhooks signalled to their call workflow (delivered), found no running workflow (orphaned), or given up after hours of retries (failed).',
  labelNames: ['provider', 'result'] as const,
  registers,
});

export const webhookInboxDepth = new Gauge({
  name: 'outdial_webhook_inbox_depth',
  help: 'Webhooks stored and not yet delivered to their call (sampled by the API every few seconds from the pending index).',
  registers,
});

export const flowTurnSeconds = new Histogram({
  name: 'outdial_flow_turn_seconds',
  help: "Time to answer a conversation turn (the provider's flow_turn tool call), request to response.",
  labelNames: ['result'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5],
  registers,
});

export const importRows = new Counter({
  name: 'outdial_import_rows_total',
  help: 'Contact rows read from uploads: kept as contacts, or rejected (invalid, duplicate, DNC) into the row report. rate() gives import rows per second.',
  labelNames: ['result'] as const,
  registers,
});

export const importSeconds = new Histogram({
  name: 'outdial_import_seconds',
  help: 'Time to read, check and store one uploaded contact list.',
  buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  registers,
});
