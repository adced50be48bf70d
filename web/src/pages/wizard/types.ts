import type { Answer, Campaign } from '../../client/types';

export type Column = Answer<'/v1/campaigns/{id}/columns', 'get'>['columns'][number];
export type ColumnWarning = Answer<'/v1/campaigns/{id}/columns', 'get'>['warnings'][number];
export type TestCall = Answer<'/v1/campaigns/{id}/test-call', 'post'>;
export type Report = Campaign['report'];
export type RowErrorCode = Report['errors'][number]['code'];

/** The order of the wizard; `upload` is the only step without a draft yet. */
export const STEPS = ['upload', 'sheet', 'mapping', 'report', 'opening', 'settings', 'test', 'review'] as const;
export type Step = (typeof STEPS)[number];

export const isStep = (value: string | null): value is Step => STEPS.includes(value as Step);

/** What one column is used for, as the mapping step's select offers it. */
export type ColumnUse = 'phone' | 'name' | 'variable' | 'ignore';

/** The props every step after the upload gets from the page. */
export interface StepProps {
  campaign: Campaign;
  /** Absent on the first step after the upload: the file cannot be un-uploaded. */
  back?: () => void;
  next: () => void;
}

export const CALL_TYPES = ['BILLING_REMINDER', 'APPOINTMENT_REMINDER', 'SHIPPING_UPDATE'] as const;
export const PROVIDERS = ['elevenlabs', 'ultravox', 'asterisk'] as const;
export const SCRIPT_LANGUAGES = ['tr', 'en'] as const;

/** The script variables of each call type (domain/flows), offered as suggestions in the mapping. */
export const SCRIPT_VARIABLES: Record<(typeof CALL_TYPES)[number], string[]> = {
  BILLING_REMINDER: ['amount', 'due_date'],
  APPOINTMENT_REMINDER: ['appointment_time', 'location'],
  SHIPPING_UPDATE: ['tracking_number', 'delivery_date'],
};
