import { TRANSFER_STAGES } from '../../domain/call-facts';
import { z } from 'zod';
import { CALL_OUTCOMES, CALL_STATUSES, LABELS, PROVIDERS } from '../../domain/vocabulary';

/** Response bodies of the call endpoints, as the OpenAPI document gives them to the console. */

const isoTime = z.iso.datetime();

export const CallSchema = z.object({
  callId: z.uuid(),
  campaignId: z.uuid(),
  contactId: z.uuid().nullable().describe('null for a test call of a draft'),
  attempt: z.number().int(),
  toNumber: z.string(),
  provider: z.enum(PROVIDERS),
  providerCallId: z.string().nullable(),
  status: z.enum(CALL_STATUSES),
  outcome: z.enum(CALL_OUTCOMES).nullable(),
  label: z.enum(LABELS).nullable(),
  sipCode: z.number().int().nullable(),
  hangupCause: z.string().nullable(),
  amdStatus: z.string().nullable(),
  amdCause: z.string().nullable(),
  startedAt: isoTime.nullable(),
  answeredAt: isoTime.nullable(),
  endedAt: isoTime.nullable(),
  durationSeconds: z.number().nullable(),
  transfer: z
    .object({
      to: z.string(),
      stage: z.enum(TRANSFER_STAGES).nullable(),
      humanSeconds: z.number().int().nullable().describe("the human leg's talk time, once reported"),
    })
    .nullable()
    .describe('the transfer to a human the person asked for, as far as it got'),
  cost: z.number().nullable(),
  workflowId: z.string(),
  temporalUiUrl: z.url(),
});

export const CallPageSchema = z.object({
  items: z.array(CallSchema),
  nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last'),
});

const TranscriptTurnSchema = z.object({
  role: z.enum(['agent', 'user']),
  message: z.string(),
  timeInCallSecs: z.number().optional(),
});

export const FlowTurnSchema = z.object({
  at: isoTime,
  tool: z.string().describe('flow_turn, or the allowlisted action the agent called'),
  utterance: z.string().nullable(),
  dtmf: z.string().nullable(),
  reply: z.string().describe('what the flow runner answered the agent to say'),
  label: z.enum(LABELS),
  endCall: z.boolean(),
});

const EvaluationSchema = z.object({
  criterion: z.string(),
  result: z.string().describe('success, failure or unknown'),
  rationale: z.string().nullable(),
});

const DataCollectionSchema = z.object({
  field: z.string(),
  value: z.unknown(),
  rationale: z.string().nullable(),
});

export const CallDetailSchema = CallSchema.extend({
  transcript: z.array(TranscriptTurnSchema),
  timeline: z
    .array(z.object({ kind: z.string(), at: isoTime, fact: z.unknown() }))
    .describe('the facts of the call in the order they happened'),
  turns: z.array(FlowTurnSchema).describe('the conversation as the flow runner took it, turn by turn'),
  labels: z.array(z.object({ at: isoTime, label: z.enum(LABELS) })),
  analysis: z
    .object({
      summary: z.string().nullable(),
      evaluation: z.array(EvaluationSchema),
      dataCollection: z.array(DataCollectionSchema),
    })
    .nullable()
    .describe("the provider's post-call analysis, where it sends one"),
  recordingUrl: z
    .string()
    .nullable()
    .describe('this API’s path to the recording, where the provider keeps one'),
});
