import type { NextFunction, Request, Response } from 'express';
import { REQUEST_ID_HEADER, requestIdFrom, runInRequest } from '../../infra/logging/request-context';

/**
 * One id per request: the caller's `x-request-id` when it is a plain token, else a new one, echoed
 * in the answer. pino-http logs it (req.id) and what the request starts in Temporal carries it.
 */
export function requestId(req: Request & { id?: string }, res: Response, next: NextFunction): void {
  const id = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
  req.id = id;
  res.setHeader(REQUEST_ID_HEADER, id);
  runInRequest(id, next);
}
