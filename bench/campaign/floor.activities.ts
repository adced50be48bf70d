import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';

/**
 * The minimal call's dial. Once it has returned (a local activity runs inside the workflow task, which
 * an update cannot enter), the "person" answers one turn and the "provider" reports the call's end.
 */
export function floorActivities(client: Client, onError: (error: unknown) => void) {
  return {
    placeCall(): Promise<void> {
      const { workflowExecution } = Context.current().info;
      if (!workflowExecution) throw new Error('placeCall runs only as a workflow activity');
      const call = client.workflow.getHandle(workflowExecution.workflowId);
      setImmediate(() => {
        call
          .executeUpdate('conversationTurn', { args: ['evet'] })
          .then(() => call.signal('callEnded'))
          .catch(onError);
      });
      return Promise.resolve();
    },
  };
}

export type FloorActivities = ReturnType<typeof floorActivities>;
