import {
  defaultPayloadConverter,
  workflowInfo,
  type Headers,
  type WorkflowInterceptorsFactory,
  type WorkflowInternalsInterceptor,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { idsOfWorkflowId, LOG_CONTEXT_HEADER, type LogContext } from '../../temporal-config/log-context';
import { CampaignIdAttr, TenantIdAttr } from '../../temporal-config/search-attributes';

/**
 * What this workflow's log lines carry: the id of the HTTP request that started it (or its
 * campaign), its tenant and campaign (search attributes), its call (workflow id). Held per
 * execution, in the object the factory makes for it, never in module state, which a reused V8
 * context shares between workflows.
 */
class WorkflowLogContext {
  requestId: string | undefined;

  read(headers: Headers | null | undefined): void {
    const payload = headers?.[LOG_CONTEXT_HEADER];
    if (!payload) return;
    this.requestId = defaultPayloadConverter.fromPayload<LogContext>(payload).requestId;
  }

  fields(): LogContext {
    const { workflowId, typedSearchAttributes } = workflowInfo();
    const tenantId = typedSearchAttributes.get(TenantIdAttr);
    const ids = idsOfWorkflowId(workflowId);
    const campaignId = typedSearchAttributes.get(CampaignIdAttr) ?? ids.campaignId;
    const { callId } = ids;
    return {
      ...(this.requestId ? { requestId: this.requestId } : {}),
      ...(tenantId ? { tenantId } : {}),
      ...(campaignId ? { campaignId } : {}),
      ...(callId ? { callId } : {}),
    };
  }

  /** Headers only: no command, no yield, so replaying a history recorded without them still matches. */
  passOn(headers: Headers): Headers {
    return { ...headers, [LOG_CONTEXT_HEADER]: defaultPayloadConverter.toPayload(this.fields()) };
  }
}

/** Reads the start's headers from the first activation, before the SDK logs "Workflow started". */
class LogContextInternals implements WorkflowInternalsInterceptor {
  constructor(private readonly context: WorkflowLogContext) {}

  activate: NonNullable<WorkflowInternalsInterceptor['activate']> = (input, next) => {
    const start = input.activation.jobs?.[0]?.initializeWorkflow;
    if (start) this.context.read(start.headers);
    next(input);
  };
}

class LogContextOutbound implements WorkflowOutboundCallsInterceptor {
  constructor(private readonly context: WorkflowLogContext) {}

  getLogAttributes: NonNullable<WorkflowOutboundCallsInterceptor['getLogAttributes']> = (input, next) =>
    next({ ...input, ...this.context.fields() });

  scheduleActivity: NonNullable<WorkflowOutboundCallsInterceptor['scheduleActivity']> = (input, next) =>
    next({ ...input, headers: this.context.passOn(input.headers) });

  scheduleLocalActivity: NonNullable<WorkflowOutboundCallsInterceptor['scheduleLocalActivity']> = (
    input,
    next,
  ) => next({ ...input, headers: this.context.passOn(input.headers) });

  startChildWorkflowExecution: NonNullable<WorkflowOutboundCallsInterceptor['startChildWorkflowExecution']> =
    (input, next) => next({ ...input, headers: this.context.passOn(input.headers) });

  continueAsNew: NonNullable<WorkflowOutboundCallsInterceptor['continueAsNew']> = (input, next) =>
    next({ ...input, headers: this.context.passOn(input.headers) });
}

export const interceptors: WorkflowInterceptorsFactory = () => {
  const context = new WorkflowLogContext();
  return { internals: [new LogContextInternals(context)], outbound: [new LogContextOutbound(context)] };
};
