import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { Kysely } from 'kysely';
import type { z } from 'zod';
import type { CallFact, PostCallDataFact } from '../../domain/call-facts';
import { FINAL_CALL_STATUSES, type CallStatus, type Provider } from '../../domain/vocabulary';
import type { ProviderRegistry } from '../../activities/providers/registry';
import type { Recording } from '../../activities/providers/provider';
import type { AppConfig } from '../../infra/config/config';
import { getCall, getCallTimeline, listTenantCalls } from '../../schema/repositories/calls.repository';
import { flowTurnsOf } from '../../schema/repositories/flow-turns.repository';
import type { Executor } from '../../schema/repositories/executor';
import { withTenant } from '../../schema/tenant-scope';
import type { DB } from '../../schema/types';
import { hangupSignal } from '../../workflows/call.messages';
import { isUuid } from '../campaigns/campaigns.service';
import { callView } from '../campaigns/views';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { searchDigits } from '../common/number-search';
import { ProblemError, notFound } from '../common/problem';
import { APP_CONFIG, PROVIDERS } from '../common/tokens';
import type { TenantCallsQuery } from './calls.requests';

type TimelineRow = Awaited<ReturnType<typeof getCallTimeline>>[number];

/** The provider's analysis: the latest post-call data that carries one, with its summary. */
function analysisOf(timeline: readonly TimelineRow[]) {
  const posts = timeline
    .filter((event) => event.kind === 'post_call_data')
    .map((event) => event.data as PostCallDataFact);
  const withAnalysis = posts.filter((post) => post.analysis).at(-1);
  const summary =
    posts
      .map((post) => post.summary)
      .filter((s) => s !== undefined)
      .at(-1) ?? null;
  if (!withAnalysis && summary === null) return null;
  return {
    summary,
    evaluation: withAnalysis?.analysis?.evaluation ?? [],
    dataCollection: withAnalysis?.analysis?.dataCollection ?? [],
  };
}

async function findCall(db: Executor, tenantId: string, callId: string) {
  const row = isUuid(callId) ? await getCall(db, tenantId, callId) : undefined;
  if (!row) throw notFound('Call');
  return row;
}

@Injectable()
export class CallsService {
  constructor(
    @Inject(Kysely) private readonly db: Kysely<DB>,
    @Inject(Client) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROVIDERS) private readonly providers: ProviderRegistry,
  ) {}

  async list(tenantId: string, query: z.infer<typeof TenantCallsQuery>) {
    const { limit } = query;
    const rows = await withTenant(this.db, tenantId, (trx) =>
      listTenantCalls(trx, tenantId, {
        limit,
        ...(query.campaignId ? { campaignId: query.campaignId } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.outcome ? { outcome: query.outcome } : {}),
        ...(query.label ? { label: query.label } : {}),
        ...(searchDigits(query.q) ? { numberDigits: searchDigits(query.q) } : {}),
        ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}),
      }),
    );
    const last = rows[rows.length - 1];
    return {
      items: rows.map((row) => callView(this.config, row)),
      nextCursor: rows.length === limit && last ? encodeCursor(last.created_at, last.id) : null,
    };
  }

  async get(tenantId: string, callId: string) {
    const { row, timeline, turns } = await withTenant(this.db, tenantId, async (trx) => {
      const row = await findCall(trx, tenantId, callId);
      const [timeline, turns] = await Promise.all([getCallTimeline(trx, callId), flowTurnsOf(trx, callId)]);
      return { row, timeline, turns };
    });
    return {
      ...callView(this.config, row),
      transcript: row.transcript ?? [],
      timeline: timeline.map((event) => ({ kind: event.kind, at: event.at.toISOString(), fact: event.data })),
      turns: turns.map((turn) => ({
        at: turn.at.toISOString(),
        tool: turn.tool,
        utterance: turn.utterance,
        dtmf: turn.dtmf,
        reply: turn.reply,
        label: turn.label,
        endCall: turn.end_call,
      })),
      labels: timeline
        .filter((event) => event.kind === 'label')
        .map((event) => ({
          at: event.at.toISOString(),
          label: (event.data as Extract<CallFact, { kind: 'label' }>).label,
        })),
      analysis: analysisOf(timeline),
      recordingUrl: this.mayHaveRecording(row) ? `/v1/calls/${row.id}/recording` : null,
    };
  }

  /**
   * Fetched from the provider with our key and passed through: the browser never sees a provider
   * URL or key, and the tenant check above it is the only way in.
   */
  async recording(tenantId: string, callId: string): Promise<Recording> {
    const row = await this.find(tenantId, callId);
    const provider = this.providers[row.provider as Provider];
    const recording =
      this.mayHaveRecording(row) && provider?.fetchRecording && row.provider_call_id
        ? await provider.fetchRecording(row.provider_call_id)
        : undefined;
    if (!recording) {
      throw new ProblemError(
        HttpStatus.NOT_FOUND,
        'RECORDING_NOT_FOUND',
        'The provider keeps no recording of this call.',
      );
    }
    return recording;
  }

  /** The workflow runs the provider's cancel chain; the API only asks. */
  async hangup(tenantId: string, callId: string) {
    const call = await this.find(tenantId, callId);
    if (FINAL_CALL_STATUSES.includes(call.status as CallStatus)) {
      throw new ProblemError(409, 'CALL_ALREADY_FINISHED', `The call already ended (${call.status}).`);
    }
    try {
      await this.temporal.workflow
        .getHandle(call.workflow_id)
        .signal(hangupSignal, { by: `tenant:${tenantId}` });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        throw new ProblemError(409, 'CALL_ALREADY_FINISHED', 'The call is no longer running.');
      }
      throw error;
    }
    return { callId, hangupRequested: true };
  }

  private find(tenantId: string, callId: string) {
    return withTenant(this.db, tenantId, (trx) => findCall(trx, tenantId, callId));
  }

  /** A provider that records keeps the audio of answered calls once they end. */
  private mayHaveRecording(row: {
    provider: string;
    answered_at: Date | null;
    ended_at: Date | null;
  }): boolean {
    const provider = this.providers[row.provider as Provider];
    return (
      provider !== undefined &&
      'fetchRecording' in provider &&
      row.answered_at !== null &&
      row.ended_at !== null
    );
  }
}
