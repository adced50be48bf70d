import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ProblemError } from './problem';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Every error leaves as application/problem+json (RFC 9457) with a stable `code`. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    let status = HttpStatus.INTERNAL_SERVER_ERROR as number;
    let code = 'INTERNAL_ERROR';
    let detail = 'An unexpected error occurred.';
    let extra: Record<string, unknown> = {};

    if (exception instanceof ProblemError) {
      ({ status, code, extra } = exception);
      detail = exception.message;
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      code = HTTP_CODES[status] ?? `HTTP_${status}`;
      detail = exception.message;
      // Multer and body-parser size limits.
      if (status === 413) code = 'PAYLOAD_TOO_LARGE';
    } else if (isBodyParserError(exception)) {
      status = exception.status;
      code = status === 413 ? 'PAYLOAD_TOO_LARGE' : 'MALFORMED_JSON';
      detail = exception.message;
    } else {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (status >= 400 && status < 500) this.logger.warn(`${request.method} ${request.path} → ${status} ${code}`);
    if (typeof extra.retryAfterSeconds === 'number') {
      response.setHeader('Retry-After', String(extra.retryAfterSeconds));
    }
    response
      .status(status)
      .type('application/problem+json')
      .json({ type: 'about:blank', title: TITLES[status] ?? 'Error', status, code, detail, instance: request.path, ...extra });
  }
}

function isBodyParserError(error: unknown): error is { status: number; message: string; type: string } {
  return typeof error === 'object' && error !== null && 'type' in error && 'status' in error && typeof error.status === 'number';
}
