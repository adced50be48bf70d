import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const EventType = temporal.api.enums.v1.EventType;

/** What one call workflow cost the server, read from its history. */
interface CallCost {
  events: number;
  workflowTasks: number;
  activities: number;
  localActivities: number;
  signals: number;
  updates: number;
  timers: number;
  latencyMs: number;
  /** Milliseconds from the first event to each activity's completion, by activity type. */
  activityDoneAtMs: Record<string, number>;
  /** Summed over the call: workflow tasks queued (scheduled to started) and running (to completed). */
  workflowTaskQueuedMs: number;
  workflowTaskRunningMs: number;
  activityQueuedMs: number;
}

function millis(time: temporal.api.history.v1.IHistoryEvent['eventTime']): number {
  if (!time) return 0;
  return Number(time.seconds ?? 0) * 1000 + Math.floor((time.nanos ?? 0) / 1e6);
}

async function costOf(client: Client, workflowId: string): Promise<CallCost> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const start = millis(events[0]?.eventTime);
  const count = (type: temporal.api.enums.v1.EventType) => events.filter((e) => e.eventType === type).length;
  const activityType = new Map<number, string>();
  const activityDoneAtMs: Record<string, number> = {};
  const at = new Map(events.map((e) => [Number(e.eventId), millis(e.eventTime)]));
  const since = (id: unknown, end: temporal.api.history.v1.IHistoryEvent) =>
    millis(end.eventTime) - (at.get(Number(id)) ?? millis(end.eventTime));
  let workflowTaskQueuedMs = 0;
  let workflowTaskRunningMs = 0;
  let activityQueuedMs = 0;
  for (const event of events) {
    workflowTaskQueuedMs += since(event.workflowTaskStartedEventAttributes?.scheduledEventId, event);
    workflowTaskRunningMs += since(event.workflowTaskCompletedEventAttributes?.startedEventId, event);
    activityQueuedMs += since(event.activityTaskStartedEventAttributes?.scheduledEventId, event);
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) activityType.set(Number(event.eventId), scheduled.activityType?.name ?? '?');
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) {
      const name = activityType.get(Number(completed.scheduledEventId)) ?? '?';
      activityDoneAtMs[name] = millis(event.eventTime) - start;
    }
  }
  return {
    events: events.length,
    workflowTasks: count(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
    activities: count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
    localActivities: count(EventType.EVENT_TYPE_MARKER_RECORDED),
    signals: count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED),
    updates: count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED),
    timers: count(EventType.EVENT_TYPE_TIMER_STARTED),
    latencyMs: millis(events[events.length - 1]?.eventTime) - start,
    activityDoneAtMs,
    workflowTaskQueuedMs,
    workflowTaskRunningMs,
    activityQueuedMs,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
};

/** Medians over a sample of call workflows: where a call's time and server round trips go. */
export async function profileCalls(client: Client, workflowIds: string[]) {
  const costs = await Promise.all(workflowIds.map((id) => costOf(client, id)));
  const field = (pick: (c: CallCost) => number) => median(costs.map(pick));
  const names = [...new Set(costs.flatMap((c) => Object.keys(c.activityDoneAtMs)))];
  return {
    sampled: costs.length,
    medianPerCall: {
      events: field((c) => c.events),
      workflowTasks: field((c) => c.workflowTasks),
      activities: field((c) => c.activities),
      localActivities: field((c) => c.localActivities),
      signals: field((c) => c.signals),
      updates: field((c) => c.updates),
      timers: field((c) => c.timers),
    },
    medianMsPerCall: {
      workflowTaskQueued: field((c) => c.workflowTaskQueuedMs),
      workflowTaskRunning: field((c) => c.workflowTaskRunningMs),
      activityQueued: field((c) => c.activityQueuedMs),
    },
    latencyMs: {
      p50: percentile(
        costs.map((c) => c.latencyMs),
        0.5,
      ),
      p90: percentile(
        costs.map((c) => c.latencyMs),
        0.9,
      ),
      max: percentile(
        costs.map((c) => c.latencyMs),
        1,
      ),
    },
    medianActivityDoneAtMs: Object.fromEntries(
      names.map((name) => [name, median(costs.flatMap((c) => c.activityDoneAtMs[name] ?? []))]),
    ),
  };
}
