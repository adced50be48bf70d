import type { paths } from '../../generated/schema';

type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type Success<O> = O extends { responses: infer R } ? (R extends { 200: infer S } ? Json<S> : R extends { 201: infer S } ? Json<S> : R extends { 202: infer S } ? Json<S> : never) : never;

/** The JSON body a successful `method path` answers with, from the OpenAPI document. */
export type Answer<P extends keyof paths, M extends keyof paths[P]> = Success<paths[P][M]>;

export type Session = Answer<'/v1/auth/session', 'get'>;
export type SessionUser = Session['user'];
export type Campaign = Answer<'/v1/campaigns/{id}', 'get'>;
export type CampaignStats = Answer<'/v1/campaigns/{id}/stats', 'get'>;
export type Columns = Answer<'/v1/campaigns/{id}/columns', 'get'>;
export type OpeningLines = Answer<'/v1/campaigns/{id}/opening-lines', 'get'>;
export type CallPage = Answer<'/v1/calls', 'get'>;
export type CallDetail = Answer<'/v1/calls/{callId}', 'get'>;
export type DncPage = Answer<'/v1/dnc', 'get'>;
export type DncUploaded = Answer<'/v1/dnc/upload', 'post'>;
export type InboxPage = Answer<'/v1/webhook-inbox', 'get'>;
export type CampaignConfig = Campaign['config'];
