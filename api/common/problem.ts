import { HttpStatus } from '@nestjs/common';

/** Stable error codes clients may switch on; the message is for people. */
export type ProblemCode =
  | 'UNAUTHORIZED'
  | 'INVALID_CREDENTIALS'
  | 'CSRF_TOKEN_INVALID'
  | 'FORBIDDEN_ROLE'
  | 'EMAIL_TAKEN'
  | 'NOT_FOUND'
  | 'VALIDATION_FAILED'
  | 'INVALID_CAMPAIGN_CONFIG'
  | 'FILE_REQUIRED'
  | 'CAMPAIGN_NOT_STARTABLE'
  | 'CAMPAIGN_STATE_CONFLICT'
  | 'CAMPAIGN_NOT_DRAFT'
  | 'CAMPAIGN_SOURCE_MISSING'
  | 'CALL_ALREADY_FINISHED'
  | 'INVALID_SIGNATURE'
  | 'MALFORMED_WEBHOOK'
  | 'MALFORMED_JSON'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNKNOWN_TOOL'
  | 'RATE_LIMITED'
  | 'UPLOAD_QUOTA_EXCEEDED'
  | 'PAYLOAD_NOT_DECRYPTABLE'
  | 'INTERNAL_ERROR'
  | (string & {});

export class ProblemError extends Error {
  constructor(
    readonly status: HttpStatus,
    readonly code: ProblemCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ProblemError(HttpStatus.NOT_FOUND, 'NOT_FOUND', `${what} not found`);

/** 429: the body's `retryAfterSeconds` is also sent as the Retry-After header. */
export const tooManyRequests = (
  code: ProblemCode,
  message: string,
  retryAfterSeconds: number,
  extra: Record<string, unknown> = {},
) =>
  new ProblemError(HttpStatus.TOO_MANY_REQUESTS, code, message, { ...extra, retryAfterSeconds });
