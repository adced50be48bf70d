import { hostname } from 'node:os';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, stdTimeFunctions, type DestinationStream, type Level, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';
import { censor, maskNumbersIn, REDACT_PATHS } from './mask';

export type LogLevel = Level | 'silent';

export interface LoggerOptions {
  /** `api` or `worker`: which process wrote the line. */
  service: string;
  level: LogLevel;
  /** Human-readable lines (development); JSON lines otherwise. */
  pretty?: boolean;
  /** Where the lines go: stdout unless given (tests capture them). */
  destination?: DestinationStream;
}

/** Every line passes here last: a number in a message, a URL or an error never leaves in clear. */
function masking(inner: DestinationStream): DestinationStream {
  return { write: (line: string) => inner.write(maskNumbersIn(line)) };
}

/** The active span's ids, so that a line and its trace find each other (none when traces are off). */
function traceIds(): Record<string, string> {
  const span = trace.getActiveSpan()?.spanContext();
  return span && isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {};
}

/**
 * Outdial's one logger: JSON lines with an ISO time and the level's name, personal data redacted
 * by key and E.164 numbers masked wherever they appear.
 */
export function createLogger(options: LoggerOptions): Logger {
  const out = options.destination ?? pino.destination({ sync: false });
  const target = options.pretty ? PinoPretty({ destination: out, colorize: !options.destination }) : out;
  return pino(
    {
      level: options.level,
      base: { service: options.service, pid: process.pid, hostname: hostname() },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor },
      mixin: traceIds,
    },
    masking(target),
  );
}

/** Pretty when asked, or in development unless LOG_PRETTY=false. */
export function prettyLogs(config: { NODE_ENV: string; LOG_PRETTY?: boolean | undefined }): boolean {
  return config.LOG_PRETTY ?? config.NODE_ENV === 'development';
}
