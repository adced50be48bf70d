import { HttpStatus } from '@nestjs/common';
import { z } from 'zod';
import { toCountryCode, transferTarget } from '../../domain/phone';
import { DefaultCountrySchema } from '../common/country';
import { validateCallingWindow } from '../../domain/calling-window';
import { CALL_TYPES, LANGUAGES, PROVIDERS } from '../../domain/vocabulary';
import type { CampaignSettings } from '../../workflows/campaign.messages';
import { ProblemError } from '../common/problem';
import { parseOrProblem } from '../common/validation';

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
export const ColumnMappingSchema = z
  .object({
    phone: z.string().min(1).describe('header of the phone number column'),
    name: z.string().min(1).nullable().optional().describe('header of the name column; null: no name'),
    variables: z
      // Lower-case names only: a variable may become a provider's channel variable (Asterisk).
      .record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a variable name is lower-case letters, digits and _'), z.string().min(1))
      .optional()
      .describe("the call type's script variables, each mapped to a column header"),
  })
  .describe('which columns of the upload hold what; proposed from the headers when absent');

/**
 * The campaign `config` JSON field of `POST /v1/campaigns`. Its descriptions are the OpenAPI
 * document's; docs/campaign-config.md explains each field at length.
 */
export const CampaignConfigSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    callType: z.enum(CALL_TYPES).describe('the script, and the variables each row needs'),
    provider: z.enum(PROVIDERS).default('elevenlabs').describe('the voice-AI provider that places the calls'),
    language: z.enum(LANGUAGES).default('tr').describe("the script's language"),
    defaultCountry: DefaultCountrySchema,
    timezone: z
      .string()
      .refine(isTimeZone, 'unknown IANA time zone')
      .default('Europe/Istanbul')
      .describe('IANA zone of the calling window, for numbers whose country has no single zone'),
    callingWindow: z
      .object({
        start: hhmm.default('09:00').describe('HH:MM, inclusive'),
        end: hhmm.default('20:00').describe('HH:MM, exclusive; 24:00 is the end of the day'),
        days: z
          .array(z.number().int().min(1).max(7))
          .min(1)
          .default([1, 2, 3, 4, 5, 6, 7])
          .describe('ISO weekdays, 1 = Monday ... 7 = Sunday'),
      })
      .default({ start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5, 6, 7] })
      .superRefine((window, ctx) => {
        try {
          validateCallingWindow(window);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
        }
      })
      .describe("when calls may be placed, in the called party's local time"),
    maxConcurrentCalls: z.number().int().min(1).max(1000).default(5).describe('calls in progress at once'),
    callsPerSecond: z.number().positive().max(100).default(1).describe('most dials started per second'),
    retry: z
      .object({
        maxAttempts: z
          .number()
          .int()
          .min(1)
          .max(10)
          .default(3)
          .describe('attempts per contact, the first included'),
        busyDelayMinutes: z
          .number()
          .min(0)
          .max(7 * 24 * 60)
          .default(30)
          .describe('wait before calling a busy line again'),
        noAnswerDelayMinutes: z
          .number()
          .min(0)
          .max(7 * 24 * 60)
          .default(30)
          .describe('wait before calling again after no answer (and after voicemail, when retried)'),
        retryVoicemail: z.boolean().default(false).describe('call again when a machine answered'),
      })
      .default({ maxAttempts: 3, busyDelayMinutes: 30, noAnswerDelayMinutes: 30, retryVoicemail: false }),
    amd: z
      .object({
        enabled: z.boolean().default(true).describe('wait for answering-machine detection before speaking'),
        graceSeconds: z.number().min(0).max(120).default(10).describe('longest wait for its result'),
      })
      .default({ enabled: true, graceSeconds: 10 }),
    transferNumber: z
      .string()
      .min(3)
      .max(40)
      .optional()
      .describe(
        'where a person who asks for an agent is transferred, stored as E.164: a mobile, fixed-line, toll-free or UAN number of `defaultCountry` or of `transferCountries`; without it they get a callback',
      ),
    transferCountries: z
      .array(z.string().regex(/^[A-Z]{2}$/))
      .max(50)
      .optional()
      .describe('countries besides `defaultCountry` a transfer number may belong to'),
    classifier: z
      .enum(['KEYWORD_ONLY', 'LLM_LABEL_ONLY'])
      .default('KEYWORD_ONLY')
      .describe('how answers are labelled: keywords, or a label model with keywords as the fallback'),
    followupDefaultMinutes: z
      .number()
      .positive()
      .max(30 * 24 * 60)
      .optional()
      .describe('when a LATER answer names no time: call again after this many minutes (default a day)'),
    columnMapping: ColumnMappingSchema.optional(),
    sheet: z.string().min(1).optional().describe('the worksheet of an .xlsx upload (default the first)'),
    encoding: z
      .enum(['utf-8', 'windows-1254', 'windows-1252'])
      .optional()
      .describe('the text encoding of a .csv upload (default detected)'),
    timing: z
      .object({
        ringingTimeoutSeconds: z
          .number()
          .int()
          .min(5)
          .max(120)
          .optional()
          .describe('how long a dial rings (30)'),
        dialTimeoutSeconds: z
          .number()
          .int()
          .min(1)
          .max(120)
          .optional()
          .describe('longest wait for the provider to answer the dial request (30)'),
        hangupConfirmSeconds: z
          .number()
          .int()
          .min(1)
          .max(300)
          .optional()
          .describe('after a hang-up request, how long the provider has to report the end (15)'),
        maxCallSeconds: z
          .number()
          .int()
          .min(1)
          .max(3600)
          .optional()
          .describe('longest expected conversation (900)'),
        reconcileSeconds: z
          .number()
          .int()
          .min(1)
          .max(600)
          .optional()
          .describe('how long a dial with an unknown result waits for a webhook (60)'),
        pollIntervalSeconds: z
          .number()
          .int()
          .min(1)
          .max(600)
          .optional()
          .describe('how often the provider is polled for a missing final webhook (30)'),
        pollAttempts: z
          .number()
          .int()
          .min(1)
          .max(100)
          .optional()
          .describe('how many times it is polled (10)'),
      })
      .optional()
      .describe('call durations; the defaults (in brackets) fit real calls'),
  })
  .strict();

export type CampaignConfig = z.infer<typeof CampaignConfigSchema>;

/** The multipart `config` field: a campaign config as JSON text (400 INVALID_CAMPAIGN_CONFIG otherwise). */
export function parseCampaignConfig(raw: unknown): CampaignConfig {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new ProblemError(
        HttpStatus.BAD_REQUEST,
        'INVALID_CAMPAIGN_CONFIG',
        'The `config` field is not valid JSON.',
      );
    }
  }
  const config = parseOrProblem(
    CampaignConfigSchema,
    value ?? {},
    'INVALID_CAMPAIGN_CONFIG',
    'The campaign config is invalid.',
  );
  return withCheckedTransferNumber(config);
}

const TRANSFER_REFUSALS: Record<string, string> = {
  EMPTY: 'the transfer number is empty',
  NOT_A_NUMBER: 'the transfer number is not a phone number',
  INVALID: 'the transfer number is not a valid phone number',
  COUNTRY_NOT_ALLOWED: 'the transfer number belongs to a country the campaign does not allow (defaultCountry, transferCountries)',
  TYPE_NOT_ALLOWED: 'the transfer number is not a mobile, fixed-line, toll-free or UAN number',
};

/**
 * The transfer number reaches a SIP URI and Asterisk's Dial(): only a number the phone rules accept,
 * of an allowed country and type, and only in E.164.
 */
function withCheckedTransferNumber(config: CampaignConfig): CampaignConfig {
  if (config.transferNumber === undefined) return config;
  const target = transferTarget(config.transferNumber, config.defaultCountry, config.transferCountries);
  if (!target.ok) {
    throw new ProblemError(HttpStatus.BAD_REQUEST, 'INVALID_CAMPAIGN_CONFIG', 'The campaign config is invalid.', {
      errors: [{ path: 'transferNumber', message: TRANSFER_REFUSALS[target.reason] ?? target.reason }],
    });
  }
  return { ...config, transferNumber: target.e164 };
}

/** What the campaign workflow (and each of its calls) is started with. */
export function campaignSettings(config: CampaignConfig): CampaignSettings {
  return {
    callType: config.callType,
    provider: config.provider,
    language: config.language,
    timezone: config.timezone,
    callingWindow: config.callingWindow,
    maxConcurrentCalls: config.maxConcurrentCalls,
    callsPerSecond: config.callsPerSecond,
    retry: config.retry,
    amd: config.amd,
    ...(config.transferNumber
      ? {
          transferNumber: config.transferNumber,
          transferCountries: [toCountryCode(config.defaultCountry), ...(config.transferCountries ?? [])],
        }
      : {}),
    ...(config.classifier === 'LLM_LABEL_ONLY' ? { classifier: config.classifier } : {}),
    ...(config.timing ? { callTiming: config.timing } : {}),
    ...(config.followupDefaultMinutes ? { followupDefaultMinutes: config.followupDefaultMinutes } : {}),
  };
}
