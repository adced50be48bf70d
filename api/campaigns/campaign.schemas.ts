import { z } from 'zod';
import { CAMPAIGN_STATUSES } from '../../domain/vocabulary';
import { CampaignConfigSchema } from './campaign-config';

/** Response bodies of the campaign endpoints, as the OpenAPI document gives them to the console. */

const isoTime = z.iso.datetime();
const counter = z.record(z.string(), z.number().int());

export const CountsSchema = z.object({
  byStatus: counter.describe('contacts by their result’s status'),
  byOutcome: counter,
  byLabel: counter,
});

export const ProgressSchema = z.object({
  total: z.number().int().describe('contacts of the campaign'),
  finished: z.number().int().describe('contacts whose result is final'),
});

const MappingWarningSchema = z.object({ code: z.string(), column: z.string(), message: z.string() });

export const MappingSchema = z.object({
  phone: z.string(),
  name: z.string().nullable().optional(),
  variables: z.record(z.string(), z.string()).optional(),
  proposed: z.boolean().optional(),
  warnings: z.array(MappingWarningSchema).optional(),
});

export const RowErrorSchema = z.object({
  row: z.number().int(),
  column: z.string(),
  code: z.enum(['INVALID_PHONE', 'MISSING_PHONE', 'DUPLICATE_PHONE', 'ON_DNC_LIST', 'MISSING_VARIABLE']),
  message: z.string(),
  value: z.string(),
});

export const ReportSchema = z.object({
  total: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  duplicates: z.number().int(),
  dnc: z.number().int(),
  errors: z.array(RowErrorSchema),
  errorsOmitted: z.number().int(),
});

export const CampaignSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  config: CampaignConfigSchema,
  mapping: MappingSchema,
  report: ReportSchema,
  counts: CountsSchema.optional().describe('on GET of one campaign'),
  progress: ProgressSchema.optional().describe('on the campaign list'),
  sourceFileName: z.string().nullable(),
  createdAt: isoTime,
  startedAt: isoTime.nullable(),
  finishedAt: isoTime.nullable(),
  startAt: isoTime.nullable(),
  workflowId: z.string(),
  temporalUiUrl: z.url(),
  temporalCallsUrl: z.url(),
});

export const CampaignListSchema = z.object({ items: z.array(CampaignSchema) });

export const CampaignStatsSchema = z.object({
  status: z.enum(CAMPAIGN_STATUSES),
  counts: CountsSchema,
  progress: ProgressSchema,
  callsOverTime: z
    .array(z.object({ at: isoTime, started: z.number().int(), ended: z.number().int() }))
    .describe('calls started and ended per minute, oldest first'),
});
