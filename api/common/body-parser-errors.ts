import type { NextFunction, Request, Response } from 'express';
import { ProblemError } from './problem';

/** body-parser's error `type`s; each gets a stable problem code instead of Nest's generic 400. */
const BODY_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  'entity.parse.failed': {
    status: 400,
    code: 'MALFORMED_JSON',
    detail: 'The request body is not valid JSON.',
  },
  'entity.too.large': { status: 413, code: 'PAYLOAD_TOO_LARGE', detail: 'The request body is too large.' },
  'entity.verify.failed': {
    status: 400,
    code: 'MALFORMED_JSON',
    detail: 'The request body could not be read.',
  },
  'request.aborted': { status: 400, code: 'REQUEST_ABORTED', detail: 'The request was aborted.' },
  'request.size.invalid': {
    status: 400,
    code: 'MALFORMED_JSON',
    detail: 'The body length does not match Content-Length.',
  },
  'encoding.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'Unsupported content encoding.',
  },
  'charset.unsupported': { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Unsupported charset.' },
};

/**
 * Express error middleware placed right after the body parsers: turns their errors into
 * ProblemErrors, which the global ProblemFilter answers (and logs) like any other.
 */
export function bodyParserErrors(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  const type =
    typeof error === 'object' && error !== null && 'type' in error ? String(error.type) : undefined;
  const known = type === undefined ? undefined : BODY_ERRORS[type];
  next(known ? new ProblemError(known.status, known.code, known.detail) : error);
}
