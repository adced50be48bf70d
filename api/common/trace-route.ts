import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import type { Request } from 'express';
import type { Observable } from 'rxjs';

/**
 * Names the request's server span by its route once Nest has matched it ("POST /v1/campaigns/:id/
 * start", not "POST"): the HTTP instrumentation only knows the method.
 */
export class TraceRoute implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const route = (req.route as { path?: string } | undefined)?.path;
    const span = trace.getActiveSpan();
    if (span && route) {
      span.updateName(`${req.method} ${route}`);
      span.setAttribute('http.route', route);
    }
    return next.handle();
  }
}
