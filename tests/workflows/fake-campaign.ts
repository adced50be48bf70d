import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { Activities } from '../../activities';
import type { CallOutcome, CampaignStatus } from '../../domain/vocabulary';
import {
  campaignProgressQuery,
  type CampaignProgress,
  type CampaignSettings,
  type CampaignWorkflowInput,
} from '../../workflows/campaign.messages';
import type { campaignWorkflow } from '../../workflows/campaign.workflow';
import { ALWAYS_OPEN } from '../support/calls';
import type { FakeCallActivities } from './campaign-mocked.workflows';
import { campaignWorkflowId } from '../../workflows/workflow-ids';

/**
 * The campaign workflow on a real dev server, its Postgres activities replaced by rows in memory
 * and each call by a stand-in child workflow (campaign-mocked.workflows.ts) whose length and result
 * the test decides.
 */
type CallResult = Awaited<ReturnType<FakeCallActivities['fakeCall']>>;

/** One call the stand-in made, by the test's clock. */
export interface Dial {
  callId: string;
  contactId: string;
  attempt: number;
  startedAt: number;
  endedAt?: number;
}

/** How a call goes: resolves with its result once the call is over. */
export type Answer = (dial: Dial) => Promise<Pick<CallResult, 'outcome' | 'label' | 'followupAt'>>;

interface ContactRow {
  contactId: string;
  seq: number;
  phone: string;
  retry: { attempt: number; followups: number; at: number } | null;
}

export const FAKE_SETTINGS: CampaignSettings = {
  callType: 'BILLING_REMINDER',
  provider: 'elevenlabs',
  language: 'tr',
  timezone: 'Europe/Istanbul',
  callingWindow: ALWAYS_OPEN,
  maxConcurrentCalls: 2,
  callsPerSecond: 50,
  retry: { maxAttempts: 1, busyDelayMinutes: 1, noAnswerDelayMinutes: 1, retryVoicemail: false },
  amd: { enabled: false, graceSeconds: 0 },
};

export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function ends(outcome: CallOutcome, afterMs = 0) {
  return pause(afterMs).then(() => ({ outcome, label: null }));
}

/** A campaign's contact rows and Postgres activities in memory, and the calls it made. */
export class FakeCampaign {
  readonly campaignId = randomUUID();
  readonly dials: Dial[] = [];
  readonly settled: Parameters<Activities['settleUnfinishedContacts']>[0][] = [];
  readonly statuses: CampaignStatus[] = [];
  maxLive = 0;
  private live = 0;
  readonly rows: ContactRow[];

  constructor(
    count: number,
    private readonly answer: Answer = () => ends('success', 100),
  ) {
    this.rows = Array.from({ length: count }, (_, seq) => ({
      contactId: randomUUID(),
      seq,
      phone: `+9053210${String(10_000 + seq)}`,
      retry: null,
    }));
  }

  contact(seq: number): string {
    return this.rows[seq]!.contactId;
  }

  attemptsOf(seq: number): number[] {
    return this.dials.filter((d) => d.contactId === this.contact(seq)).map((d) => d.attempt);
  }

  activities(): Partial<Activities> & FakeCallActivities {
    const waiting = () => {
      const due = this.rows.flatMap((r) => (r.retry ? [r.retry.at] : []));
      return { waiting: due.length, nextDueAt: due.length > 0 ? Math.min(...due) : null };
    };
    const contactOf = (r: ContactRow) => ({
      contactId: r.contactId,
      seq: r.seq,
      phone: r.phone,
      name: null,
      variables: {},
    });
    return {
      loadContacts: ({ fromSeq, limit }) =>
        Promise.resolve(
          this.rows
            .filter((r) => r.seq >= fromSeq)
            .slice(0, limit)
            .map((r) => ({ ...contactOf(r), finalOutcome: null })),
        ),
      storeRetries: ({ retries }) => {
        for (const r of retries) {
          this.rows.find((row) => row.contactId === r.contactId)!.retry = {
            attempt: r.attempt,
            followups: r.followups,
            at: r.notBefore,
          };
        }
        return Promise.resolve(waiting());
      },
      claimDueRetries: ({ dueBy, limit }) => {
        const due = this.rows
          .filter((r) => r.retry && r.retry.at <= dueBy)
          .sort((a, b) => a.retry!.at - b.retry!.at)
          .slice(0, limit);
        const retries = due.map((r) => {
          const { attempt, followups } = r.retry!;
          r.retry = null;
          return { ...contactOf(r), attempt, followups };
        });
        return Promise.resolve({ retries, ...waiting() });
      },
      retriesWaiting: () => Promise.resolve(waiting()),
      settleUnfinishedContacts: (input) => {
        this.settled.push(input);
        return Promise.resolve(0);
      },
      setCampaignStatus: (input) => {
        this.statuses.push(input.to);
        return Promise.resolve(true);
      },
      fakeCall: async (input) => {
        const dial: Dial = {
          callId: input.callId,
          contactId: input.contactId ?? '',
          attempt: input.attempt,
          startedAt: Date.now(),
        };
        this.dials.push(dial);
        this.maxLive = Math.max(this.maxLive, ++this.live);
        try {
          const result = await this.answer(dial);
          return {
            ...result,
            callId: input.callId,
            contactId: input.contactId,
            attempt: input.attempt,
            status: 'completed',
            sipCode: null,
          };
        } finally {
          this.live--;
          dial.endedAt = Date.now();
        }
      },
    };
  }
}

export type CampaignHandle = WorkflowHandleWithFirstExecutionRunId<typeof campaignWorkflow>;

/** A client and a worker connection to `address`, and a runner of fake campaigns on them. */
export async function connectFakeCampaigns(address: string) {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const nativeConnection = await NativeConnection.connect({ address });
  const bundleCode = await bundleFakeCampaign();
  return {
    client,
    runCampaign: campaignRunner(client, nativeConnection, bundleCode),
    close: async () => {
      await nativeConnection.close();
      await connection.close();
    },
  };
}

async function bundleFakeCampaign(): Promise<string> {
  const quiet = () => {};
  const { code } = await bundleWorkflowCode({
    workflowsPath: join(__dirname, 'campaign-mocked.workflows.ts'),
    logger: { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet, log: quiet },
  });
  return code;
}

/** Runs a fake campaign to its end (driven by `drive` meanwhile) and answers its final progress. */
function campaignRunner(client: Client, nativeConnection: NativeConnection, bundleCode: string) {
  return async function runCampaign(
    fake: FakeCampaign,
    settings: Partial<CampaignSettings>,
    drive: (handle: CampaignHandle) => Promise<void> = () => Promise.resolve(),
    childrenPerRun?: number,
  ): Promise<CampaignProgress> {
    const taskQueue = `campaign-mocked-${randomUUID()}`;
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      activities: fake.activities(),
      workflowBundle: { code: bundleCode },
    });
    const input: CampaignWorkflowInput = {
      campaignId: fake.campaignId,
      tenantId: randomUUID(),
      settings: { ...FAKE_SETTINGS, ...settings },
      ...(childrenPerRun ? { childrenPerRun } : {}),
    };
    return worker.runUntil(async () => {
      const handle = await client.workflow.start<typeof campaignWorkflow>('campaignWorkflow', {
        workflowId: campaignWorkflowId(fake.campaignId),
        taskQueue,
        args: [input],
      });
      await drive(handle);
      await handle.result();
      return handle.query(campaignProgressQuery);
    });
  };
}

export type FakeCampaigns = Awaited<ReturnType<typeof connectFakeCampaigns>>;
