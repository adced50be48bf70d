import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';

export const CONSOLE_DIST = join(__dirname, '..', '..', 'web', 'dist');

/** Paths that belong to the API or to the built files, never to the console's client-side routes. */
const API_PATH = /^\/(v1|docs|healthz|readyz|metrics|assets)(\/|$)/;

/** The console's page: its scripts and styles come from this origin only. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * Serves the built console (web/dist) at `/`: hashed assets cached for good, index.html for every
 * other browser path so that a reload of /campaigns/… opens the same page. Without a build (a bare
 * API deployment) nothing is served and `/` is the API's 404.
 */
export function serveConsole(app: INestApplication, dist = CONSOLE_DIST): void {
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return;
  const server = app as NestExpressApplication;
  server.use(
    '/assets',
    express.static(join(dist, 'assets'), { immutable: true, maxAge: '365d', index: false }),
  );
  server.use((req: Request, res: Response, next: NextFunction) => {
    // Only a browser's navigation (it asks for text/html by name) gets the page; a client that sends
    // no Accept header, or asks for JSON, gets the API's 404 problem for an unknown path.
    const navigation = req.headers.accept?.includes('text/html') ?? false;
    if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATH.test(req.path) || !navigation) return next();
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    res.setHeader('x-content-type-options', 'nosniff');
    res.sendFile(index);
  });
}
