import type { WorkflowClientInterceptor } from '@temporalio/client';
import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import { LOG_CONTEXT_HEADER, type LogContext } from '../../temporal-config/log-context';
import { currentRequestId } from './request-context';

function withRequestId(headers: Headers): Headers {
  const requestId = currentRequestId();
  if (!requestId) return headers;
  const context: LogContext = { requestId };
  return { ...headers, [LOG_CONTEXT_HEADER]: defaultPayloadConverter.toPayload(context) };
}

/**
 * Hands the HTTP request's id to what it starts or signals in Temporal, whose workflow and activity
 * log lines then carry it (workflows/interceptors/log-context.ts).
 */
export function requestIdClientInterceptor(): WorkflowClientInterceptor {
  return {
    startWithDetails: (input, next) => next({ ...input, headers: withRequestId(input.headers) }),
    signalWithStart: (input, next) => next({ ...input, headers: withRequestId(input.headers) }),
    signal: (input, next) => next({ ...input, headers: withRequestId(input.headers) }),
    startUpdate: (input, next) => next({ ...input, headers: withRequestId(input.headers) }),
    startUpdateWithStart: (input, next) =>
      next({
        ...input,
        workflowStartHeaders: withRequestId(input.workflowStartHeaders),
        updateHeaders: withRequestId(input.updateHeaders),
      }),
  };
}
