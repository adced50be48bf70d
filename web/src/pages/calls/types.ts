import type { paths } from '../../../generated/schema';
import type { CallDetail, CallPage } from '../../client/types';

export type CallItem = CallPage['items'][number];
export type CallQuery = NonNullable<paths['/v1/calls']['get']['parameters']['query']>;
export type CallStatus = CallItem['status'];
export type CallOutcome = NonNullable<CallItem['outcome']>;
export type CallLabel = NonNullable<CallItem['label']>;
export type TimelineEvent = CallDetail['timeline'][number];
export type FlowTurn = CallDetail['turns'][number];
export type TranscriptLine = CallDetail['transcript'][number];
export type CallAnalysis = NonNullable<CallDetail['analysis']>;

/** The list's filters, as the URL holds them: what the API's query takes, less the cursor. */
export type CallFilters = Omit<CallQuery, 'cursor' | 'limit'>;
