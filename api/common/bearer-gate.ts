import type { NextFunction, Request, Response } from 'express';
import { sameSecret } from '../../infra/config/same-secret';

/**
 * Express middleware for routes outside Nest's guards (Swagger's `/docs`): without `token` every
 * request passes; with it, only `Authorization: Bearer <token>`, else a 401 problem.
 */
export function bearerGate(token: string | undefined) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!token) return next();
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (given && sameSecret(given, token)) return next();
    res
      .status(401)
      .set('www-authenticate', 'Bearer')
      .type('application/problem+json')
      .send({ type: 'about:blank', title: 'Unauthorized', status: 401, code: 'UNAUTHORIZED', detail: 'This page needs its bearer token.' });
  };
}
