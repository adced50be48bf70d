import { metricMeter } from '@temporalio/workflow';

/**
 * A call's lifecycle as metrics, emitted from its workflow through the Temporal runtime: the SDK
 * drops them while it replays a history, so a call counts once however often it is replayed. The
 * worker's metrics endpoint exports them beside the SDK's own (worker/metrics-server.ts).
 */
export function countDialled(provider: string): void {
  metricMeter
    .createCounter('outdial_calls_dialled', 'calls', 'Calls the provider accepted to dial')
    .withTags({ provider })
    .add(1);
}

export function countAnswered(provider: string, dialToAnswerSeconds: number | undefined): void {
  metricMeter
    .createCounter('outdial_calls_answered', 'calls', 'Calls answered, by a person or a machine')
    .withTags({ provider })
    .add(1);
  if (dialToAnswerSeconds === undefined || dialToAnswerSeconds < 0) return;
  metricMeter
    .createHistogram('outdial_dial_to_answer', 'float', 'seconds', 'From the dial accepted to the answer')
    .withTags({ provider })
    .record(dialToAnswerSeconds);
}

export function countFinished(provider: string, status: string, outcome: string | null): void {
  metricMeter
    .createCounter('outdial_calls_finished', 'calls', 'Calls ended, by final status and outcome')
    .withTags({ provider, status, outcome: outcome ?? 'none' })
    .add(1);
}
