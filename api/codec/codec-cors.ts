import type { NextFunction, Request, Response } from 'express';

/**
 * CORS for the Temporal UI's page, which calls the codec from its own origin with JSON and
 * X-Namespace (so the browser asks first with OPTIONS). Other origins get no CORS headers, so
 * their pages cannot read the answers.
 */
export function codecCors(origins: readonly string[]) {
  const allowed = new Set(origins);
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) {
      res
        .vary('Origin')
        .set({ 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' });
      if (req.method === 'OPTIONS') {
        res.set({
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'content-type',
          'access-control-max-age': '600',
        });
      }
    }
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next();
  };
}
