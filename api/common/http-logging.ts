import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService, LogLevel } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { Logger } from 'pino';

/** Probes and scrapes come every few seconds and say nothing about a campaign. */
const QUIET_PATHS = /^\/(healthz|readyz|metrics)\b/;

/**
 * nestjs-pino's settings (the request's id is set before, by request-id.ts): one line per request (`request completed`, its status and time) carrying
 * `requestId`, at warn for a 4xx and error for a 5xx; Nest's own and the services' lines through
 * the same logger.
 */
export function httpLogging(logger: Logger): Params {
  return {
    pinoHttp: {
      logger,
      customAttributeKeys: { reqId: 'requestId' },
      autoLogging: { ignore: (req) => QUIET_PATHS.test(req.url ?? '') },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      quietReqLogger: true,
      // What an operator reads a request by; headers (cookies, keys, signatures) stay out.
      serializers: {
        req: (req: {
          method: string;
          url: string;
          remoteAddress?: string;
          headers: Record<string, unknown>;
        }) => ({
          method: req.method,
          url: req.url,
          remoteAddress: req.remoteAddress,
          userAgent: req.headers['user-agent'],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}

/**
 * Nest hands every level to a custom logger, its route map and module wiring included: only the
 * levels kept here reach pino (Nest filters by level for its own console logger alone).
 */
export class LeveledLogger implements LoggerService {
  constructor(
    private readonly inner: LoggerService,
    private readonly levels: readonly LogLevel[],
  ) {}

  log(message: unknown, ...rest: unknown[]): void {
    if (this.levels.includes('log')) this.inner.log(message, ...rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    if (this.levels.includes('error')) this.inner.error(message, ...rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    if (this.levels.includes('warn')) this.inner.warn(message, ...rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    if (this.levels.includes('debug')) this.inner.debug?.(message, ...rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    if (this.levels.includes('verbose')) this.inner.verbose?.(message, ...rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    if (this.levels.includes('fatal')) this.inner.fatal?.(message, ...rest);
  }
}
