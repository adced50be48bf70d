import { z } from 'zod';
import { validateCallingWindow } from '../../domain/calling-window';
import { CALL_TYPES, LANGUAGES, PROVIDERS } from '../../domain/vocabulary';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected HH:MM (00:00-24:00)');

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `columnMapping`: values are the uploaded column headers. */
export const ColumnMappingSchema = z.object({
  phone: z.string().min(1),
  name: z.string().min(1).nullable().optional(),
  variables: z.record(z.string(), z.string().min(1)).optional(),
});

/** The campaign `config` JSON field of `POST /v1/campaigns` (DESIGN.md "Campaign config"). */
export const CampaignConfigSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    callType: z.enum(CALL_TYPES),
    provider: z.enum(PROVIDERS).default('elevenlabs'),
    language: z.enum(LANGUAGES).default('tr'),
    defaultCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, 'expected an ISO 3166 alpha-2 country code such as TR')
      .default('TR'),
    timezone: z.string().refine(isTimeZone, 'unknown IANA time zone').default('Europe/Istanbul'),
    callingWindow: z
      .object({
        start: hhmm.default('09:00'),
        end: hhmm.default('20:00'),
        days: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5, 6, 7]),
      })
      .default({ start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5, 6, 7] })
      .superRefine((window, ctx) => {
        try {
          validateCallingWindow(window);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
        }
      }),
    maxConcurrentCalls: z.number().int().min(1).max(1000).default(5),
    callsPerSecond: z.number().positive().max(100).default(1),
    retry: z
      .object({
        maxAttempts: z.number().int().min(1).max(10).default(3),
        busyDelayMinutes: z
          .number()
          .min(0)
          .max(7 * 24 * 60)
          .default(30),
        noAnswerDelayMinutes: z
          .number()
          .min(0)
          .max(7 * 24 * 60)
          .default(30),
        retryVoicemail: z.boolean().default(false),
      })
      .default({ maxAttempts: 3, busyDelayMinutes: 30, noAnswerDelayMinutes: 30, retryVoicemail: false }),
    amd: z
      .object({ enabled: z.boolean().default(true), graceSeconds: z.number().min(0).max(120).default(10) })
      .default({ enabled: true, graceSeconds: 10 }),
    transferNumber: z.string().min(3).optional(),
    /** How answers are labelled: keywords, or a model with keywords as the fallback (seed 000 §5). */
    classifier: z.enum(['KEYWORD_ONLY', 'LLM_LABEL_ONLY']).default('KEYWORD_ONLY'),
    /** When a LATER answer names no time: call again after this many minutes (default a day). */
    followupDefaultMinutes: z
      .number()
      .positive()
      .max(30 * 24 * 60)
      .optional(),
    columnMapping: ColumnMappingSchema.optional(),
    sheet: z.string().min(1).optional(),
    encoding: z.enum(['utf-8', 'windows-1254', 'windows-1252']).optional(),
    /** Call durations; defaults fit real calls (ring 30 s, talk up to 15 min). */
    timing: z
      .object({
        ringingTimeoutSeconds: z.number().int().min(5).max(120).optional(),
        dialTimeoutSeconds: z.number().int().min(1).max(120).optional(),
        hangupConfirmSeconds: z.number().int().min(1).max(300).optional(),
        maxCallSeconds: z.number().int().min(1).max(3600).optional(),
        reconcileSeconds: z.number().int().min(1).max(600).optional(),
        pollIntervalSeconds: z.number().int().min(1).max(600).optional(),
        pollAttempts: z.number().int().min(1).max(100).optional(),
      })
      .optional(),
  })
  .strict();

export type CampaignConfig = z.infer<typeof CampaignConfigSchema>;
