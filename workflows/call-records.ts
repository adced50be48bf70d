import {
  patched,
  proxyActivities,
  proxyLocalActivities,
  type ActivityInterfaceFor,
  type LocalActivityInterfaceFor,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { PATCHES } from './patches';

const RECORD_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5, initialInterval: '1 second' },
} as const;
const DNC_OPTIONS = {
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3, initialInterval: '500 milliseconds' },
} as const;

const remote = pick(proxyActivities<Activities>(RECORD_OPTIONS), proxyActivities<Activities>(DNC_OPTIONS));
const local = pick(
  proxyLocalActivities<Activities>(RECORD_OPTIONS),
  proxyLocalActivities<Activities>(DNC_OPTIONS),
);

type RecordNames = 'reserveCallAttempt' | 'checkDoNotCall' | 'recordCallState' | 'finalizeCall';

function pick<
  P extends Pick<ActivityInterfaceFor<Activities> | LocalActivityInterfaceFor<Activities>, RecordNames>,
>(records: P, dnc: P): Pick<P, RecordNames> {
  return {
    reserveCallAttempt: records.reserveCallAttempt,
    checkDoNotCall: dnc.checkDoNotCall,
    recordCallState: records.recordCallState,
    finalizeCall: records.finalizeCall,
  };
}

export type CallRecordActivities = typeof remote | typeof local;

/** Decided once, at the start of a call: histories recorded before the change replay as they were. */
export function callRecordActivities(): CallRecordActivities {
  return patched(PATCHES.localCallRecords) ? local : remote;
}
