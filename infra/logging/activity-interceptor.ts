import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { idsOfWorkflowId, LOG_CONTEXT_HEADER, type LogContext } from '../../temporal-config/log-context';

/**
 * An activity's log lines carry what its workflow passed in the log-context header: the request,
 * tenant, campaign and call (the SDK adds the workflow and activity ids itself).
 */
export const logContextActivityInterceptor: ActivityInterceptorsFactory = (ctx) => {
  // Before the header is read (the SDK's "Activity started"), the workflow id still names the call.
  let fields: LogContext = idsOfWorkflowId(ctx.info.workflowExecution?.workflowId);
  return {
    inbound: {
      execute: (input, next) => {
        const payload = input.headers[LOG_CONTEXT_HEADER];
        if (payload) fields = defaultPayloadConverter.fromPayload<LogContext>(payload);
        return next(input);
      },
    },
    outbound: {
      getLogAttributes: (input, next) => next({ ...input, ...fields }),
    },
  };
};
