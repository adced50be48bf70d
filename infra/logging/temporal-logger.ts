import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import type { Logger } from 'pino';

const LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * The Temporal SDK's logger (Runtime.install({ logger })) writing through pino: the worker's own
 * lines, Core's, every activity's `log` and every workflow's `log` (through the SDK's logger sink),
 * each with the fields the SDK and Outdial's interceptors attach (workflowId, callId, requestId, …).
 */
export function temporalLogger(logger: Logger): TemporalLogger {
  const write = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const method = LEVELS[level];
    if (!logger.isLevelEnabled(method)) return;
    // The SDK's LogTimestamp symbol is left out: pino writes string keys only.
    logger[method](meta ?? {}, message);
  };
  return {
    log: write,
    trace: (message, meta) => write('TRACE', message, meta),
    debug: (message, meta) => write('DEBUG', message, meta),
    info: (message, meta) => write('INFO', message, meta),
    warn: (message, meta) => write('WARN', message, meta),
    error: (message, meta) => write('ERROR', message, meta),
  };
}
