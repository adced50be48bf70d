import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { flowTurnSeconds } from '../../infra/metrics/api-metrics';
import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { findActiveCallByPhone } from '../../schema/repositories/calls.repository';
import { recordFlowTurn } from '../../schema/repositories/flow-turns.repository';
import { isAllowedTool } from '../../domain/flow-runner';
import { LABELS } from '../../domain/vocabulary';
import type { DB } from '../../schema/types';
import {
  flowTurnUpdate,
  flowViewQuery,
  providerFactsSignal,
  type FlowTurnResult,
} from '../../workflows/call.messages';
import { isUuid } from '../campaigns/campaigns.service';
import { ProblemError } from '../common/problem';
import { parseBody } from '../common/validation';
import { callWorkflowId } from '../../workflows/workflow-ids';
import { SYSTEM_DB } from '../common/tokens';

const ToolBody = z.object({
  call_id: z.string().min(1).max(100),
  request_id: z.string().min(1).max(200),
  utterance: z.string().max(4000).optional(),
  dtmf: z.string().max(32).optional(),
  label: z.enum(LABELS).optional(),
});

const InitBody = z.object({
  call_id: z.string().optional(),
  caller_id: z.string().optional(),
  called_number: z.string().optional(),
  agent_id: z.string().optional(),
  call_sid: z.string().optional(),
});

export interface ToolAnswer {
  message: string;
  label: string;
  end_call: boolean;
  /** Present when the agent must transfer the person now, with its transfer_to_number system tool. */
  transfer_to?: string;
  /** With transfer_to: what to say should the transfer fail (a callback follows). */
  transfer_failed_message?: string;
}

/** ElevenLabs' conversation-initiation webhook answer (Twilio personalization). */
export interface ConversationInitiation {
  type: 'conversation_initiation_client_data';
  dynamic_variables: Record<string, string>;
  conversation_config_override?: { agent: { first_message: string; language: string } };
}

const callNotFound = () =>
  new ProblemError(HttpStatus.NOT_FOUND, 'CALL_NOT_FOUND', 'No running call has this call_id.');

/**
 * The server-tool webhook: every allowlisted tool becomes an Update of the call's workflow, the
 * only writer of call state. The request id is the update id, so Temporal dedupes a retried request
 * and the workflow answers it from the turn it already ran.
 */
@Injectable()
export class FlowToolsService {
  private readonly logger = new Logger('FlowTools');

  constructor(
    @Inject(SYSTEM_DB) private readonly db: Kysely<DB>,
    @Inject(Client) private readonly temporal: Client,
  ) {}

  async call(tool: string, rawBody: unknown): Promise<ToolAnswer> {
    const body = parseBody(ToolBody, rawBody);
    if (!isUuid(body.call_id)) throw callNotFound();
    const handle = this.temporal.workflow.getHandle(callWorkflowId(body.call_id));
    if (tool !== 'flow_turn' && !isAllowedTool(tool)) {
      await this.recordRefusal(body.call_id, tool, body.request_id);
      throw new ProblemError(HttpStatus.UNPROCESSABLE_ENTITY, 'UNKNOWN_TOOL', `Tool ${tool} is not allowed.`);
    }
    let result: FlowTurnResult;
    const turnTimer = flowTurnSeconds.startTimer();
    try {
      result = await handle.executeUpdate(flowTurnUpdate, {
        updateId: body.request_id,
        args: [
          {
            requestId: body.request_id,
            tool,
            ...(body.utterance === undefined ? {} : { utterance: body.utterance }),
            ...(body.dtmf === undefined ? {} : { dtmf: body.dtmf }),
            ...(body.label === undefined ? {} : { label: body.label }),
          },
        ],
      });
    } catch (error) {
      turnTimer({ result: 'refused' });
      throw this.problemFor(error);
    }
    turnTimer({ result: 'answered' });
    this.recordTurn(body, tool, result);
    return {
      message: result.message,
      label: result.label,
      // The agent keeps the line to transfer it; its transfer tool ends its part of the call.
      end_call: result.endCall && result.transferTo === undefined,
      ...(result.transferTo === undefined ? {} : { transfer_to: result.transferTo }),
      ...(result.transferFailedMessage === undefined
        ? {}
        : { transfer_failed_message: result.transferFailedMessage }),
    };
  }

  /**
   * The call's opening and variables, for a conversation ElevenLabs starts without them. Found by
   * call id, else by the live call to either number; anything else gets a body that personalises
   * nothing.
   */
  async conversationInit(rawBody: unknown): Promise<ConversationInitiation> {
    const body = parseBody(InitBody, rawBody);
    const generic: ConversationInitiation = {
      type: 'conversation_initiation_client_data',
      dynamic_variables: { call_id: '' },
    };
    const callId = await this.findCallId(body);
    if (!callId) return generic;
    try {
      const view = await this.temporal.workflow.getHandle(callWorkflowId(callId)).query(flowViewQuery);
      return {
        type: 'conversation_initiation_client_data',
        dynamic_variables: view.dynamicVariables,
        conversation_config_override: { agent: { first_message: view.opening, language: view.language } },
      };
    } catch (error) {
      this.logger.warn(`conversation-init for call ${callId}: ${(error as Error).message}`);
      return generic;
    }
  }

  private async findCallId(body: z.infer<typeof InitBody>): Promise<string | undefined> {
    if (body.call_id && isUuid(body.call_id)) return body.call_id;
    for (const phone of [body.called_number, body.caller_id]) {
      if (!phone) continue;
      const call = await findActiveCallByPhone(this.db, phone);
      if (call) return call.id;
    }
    return undefined;
  }

  /**
   * The turn as the call page shows it. Written after the answer, never before it: the agent is
   * waiting on the line, and a lost row costs the page a turn, not the call its answer.
   */
  private recordTurn(body: z.infer<typeof ToolBody>, tool: string, result: FlowTurnResult): void {
    recordFlowTurn(this.db, {
      callId: body.call_id,
      requestId: body.request_id,
      tool,
      utterance: body.utterance ?? null,
      dtmf: body.dtmf ?? null,
      reply: result.message,
      label: result.label,
      endCall: result.endCall,
    }).catch((error: unknown) => {
      this.logger.warn(
        `turn ${body.request_id} of call ${body.call_id} not recorded: ${(error as Error).message}`,
      );
    });
  }

  /** Refused tools land on the call's timeline; an unknown call has no timeline to keep them on. */
  private async recordRefusal(callId: string, tool: string, requestId: string): Promise<void> {
    this.logger.warn(`refused tool ${JSON.stringify(tool)} for call ${callId}`);
    try {
      await this.temporal.workflow.getHandle(callWorkflowId(callId)).signal(providerFactsSignal, [
        {
          kind: 'tool_refused',
          key: `tool_refused:${requestId}`,
          at: new Date().toISOString(),
          tool: tool.slice(0, 100),
        },
      ]);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw callNotFound();
      throw error;
    }
  }

  private problemFor(error: unknown): unknown {
    if (error instanceof WorkflowNotFoundError) return callNotFound();
    if (error instanceof WorkflowUpdateFailedError) {
      const reason = error.cause instanceof Error ? error.cause.message : error.message;
      return new ProblemError(HttpStatus.CONFLICT, 'TURN_REJECTED', `The call refused this turn: ${reason}`);
    }
    return error;
  }
}
