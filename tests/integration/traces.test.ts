import { writeFileSync } from 'node:fs';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing } from '../../infra/tracing/tracing';
import { campaignConfig, contactsCsv } from '../support/campaigns';
import { createTenant, eventually, startTestStack, type TestStack } from '../support/stack';

// Before the stack: the API's server, fetch() and the Temporal interceptors record from the start.
const exporter = new InMemorySpanExporter();
startTracing({ serviceName: 'outdial-test', exporter });

const written: string[] = [];
const logLines = () =>
  written
    .flatMap((chunk) => chunk.split('\n').filter(Boolean))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const idOf = (span: ReadableSpan) => span.spanContext().spanId;

function parentOf(span: ReadableSpan, spans: ReadableSpan[]): ReadableSpan | undefined {
  return spans.find((candidate) => idOf(candidate) === span.parentSpanId);
}

/** The span's ancestors' names, nearest first. */
function ancestry(span: ReadableSpan, spans: ReadableSpan[]): string[] {
  const names: string[] = [];
  for (let parent = parentOf(span, spans); parent; parent = parentOf(parent, spans)) names.push(parent.name);
  return names;
}

/** Span names indented under their parents, for the eye. */
function tree(spans: ReadableSpan[], traceId: string): string {
  const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
  const children = (parent: string | undefined) =>
    inTrace
      .filter((s) => (parent ? s.parentSpanId === parent : !parentOf(s, inTrace)))
      .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
  const lines: string[] = [];
  const walk = (span: ReadableSpan, depth: number) => {
    lines.push(`${'  '.repeat(depth)}${span.name}`);
    for (const child of children(idOf(span))) walk(child, depth + 1);
  };
  for (const root of children(undefined)) walk(root, 0);
  return lines.join('\n');
}

describe('traces: one trace from the campaign start to the provider, and from a webhook to the signal', () => {
  let stack: TestStack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await startTestStack({
      simulator: { scenario: 'human_yes' },
      logs: { write: (line: string) => void written.push(line) },
    });
    ({ apiKey } = await createTenant(stack));
  });
  afterAll(async () => stack?.close());

  it('links upload and start, campaign and call workflows, the dial activity, its HTTP request, and a webhook to its signal', async () => {
    // The console's side of the trace: both requests carry its context, as a traced client sends it.
    const clientTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const traceparent = `00-${clientTrace}-00f067aa0ba902b7-01`;
    const api = request(stack.apiUrl);
    const created = await api
      .post('/v1/campaigns')
      .set('authorization', `Bearer ${apiKey}`)
      .set('traceparent', traceparent)
      .field('config', JSON.stringify(campaignConfig({ maxConcurrentCalls: 1 })))
      .attach('file', Buffer.from(contactsCsv(['05321112233'])), 'contacts.csv')
      .expect(201);
    const campaignId = created.body.id as string;
    await api
      .post(`/v1/campaigns/${campaignId}/start`)
      .set('authorization', `Bearer ${apiKey}`)
      .set('traceparent', traceparent)
      .expect(200);
    await eventually(
      async () => {
        const res = await api.get(`/v1/campaigns/${campaignId}`).set('authorization', `Bearer ${apiKey}`);
        return res.body.status === 'completed' ? true : undefined;
      },
      60_000,
      'the campaign to complete',
    );

    const spans = await eventually(
      () => {
        const finished = exporter.getFinishedSpans();
        const done = finished.some((s) => s.name === 'RunWorkflow:campaignWorkflow');
        return Promise.resolve(done ? finished : undefined);
      },
      10_000,
      'the campaign workflow span',
    );
    const named = (name: string) =>
      spans.filter((s) => s.name === name && s.spanContext().traceId === clientTrace);

    const [upload] = named('POST /v1/campaigns');
    expect(upload?.kind).toBe(SpanKind.SERVER);
    expect(upload?.parentSpanId).toBe('00f067aa0ba902b7');

    const [dialRequest] = spans.filter(
      (s) =>
        s.kind === SpanKind.CLIENT &&
        s.spanContext().traceId === clientTrace &&
        parentOf(s, spans)?.name === 'RunActivity:placeCall',
    );
    expect(dialRequest, "the dial activity's request to the provider").toBeDefined();
    expect(String(dialRequest!.attributes['url.full'])).toContain(stack.sim.url);
    expect(ancestry(dialRequest!, spans)).toEqual([
      'RunActivity:placeCall',
      'StartActivity:placeCall',
      'RunWorkflow:callWorkflow',
      'StartChildWorkflow:callWorkflow',
      'RunWorkflow:campaignWorkflow',
      'StartWorkflow:campaignWorkflow',
      'POST /v1/campaigns/:id/start',
    ]);
    expect(parentOf(named('POST /v1/campaigns/:id/start')[0]!, spans)).toBeUndefined();
    expect(named('POST /v1/campaigns/:id/start')[0]?.parentSpanId).toBe(upload?.parentSpanId);

    // A log line names the trace it was written in.
    const lines = logLines();
    expect(lines.find((l) => l.msg === 'provider accepted the dial')).toMatchObject({
      trace_id: clientTrace,
      span_id: idOf(parentOf(dialRequest!, spans)!),
    });
    expect(
      lines.find((l) => l.msg === 'request completed' && (l.req as { url?: string }).url?.endsWith('/start')),
    ).toMatchObject({ trace_id: clientTrace });

    // The simulator's post-call webhook: received, stored, delivered as a signal, handled.
    const signals = spans.filter((s) => s.name === 'HandleSignal:providerFacts');
    expect(signals.map((s) => ancestry(s, spans).slice(0, 4))).toContainEqual([
      'SignalWorkflow:providerFacts',
      'webhook inbox deliver',
      'webhook inbox store',
      'POST /api/elevenlabs/webhook',
    ]);
    expect(spans.find((s) => s.name === 'POST /api/elevenlabs/webhook')?.kind).toBe(SpanKind.SERVER);

    // `TRACE_TREE_OUT=<file>`: the trace's span names indented under their parents, for a reader.
    if (process.env.TRACE_TREE_OUT) writeFileSync(process.env.TRACE_TREE_OUT, tree(spans, clientTrace));
  }, 90_000);
});
