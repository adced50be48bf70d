import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../infra/stack/ports';
import { startReadyProcess, stopProcess } from './ready-process';
import { TEST_SECRETS } from './stack';

const WORKER_ENTRY = join(__dirname, 'worker-process.ts');
const API_ENTRY = join(__dirname, 'api-process.ts');

/** What every worker and API process of a test runs against. */
export interface ProcessSettings {
  temporalAddress: string;
  /** The app's role. */
  databaseUrl: string;
  simulatorUrl: string;
  taskQueue: string;
  workflowBundlePath: string;
}

export interface ApiProcess {
  port: number;
  url: string;
  child: ChildProcess;
}

/**
 * Outdial's workers and APIs as separate OS processes (tsx) against one Temporal and one Postgres,
 * as they are deployed. An API restarted after a kill listens on its old port, as a load balancer's
 * backend would come back.
 */
export class OutdialProcesses {
  readonly workers: ChildProcess[] = [];
  readonly apis: ApiProcess[] = [];

  constructor(private readonly settings: ProcessSettings) {}

  private env(): Record<string, string> {
    const s = this.settings;
    return {
      ...TEST_SECRETS,
      NODE_ENV: 'test',
      DATABASE_URL: s.databaseUrl,
      TEMPORAL_ADDRESS: s.temporalAddress,
      TEMPORAL_TASK_QUEUE: s.taskQueue,
      ELEVENLABS_BASE_URL: s.simulatorUrl,
      ULTRAVOX_BASE_URL: s.simulatorUrl,
      ASTERISK_ARI_URL: `${s.simulatorUrl}/ari`,
      LABEL_MODEL_BASE_URL: s.simulatorUrl,
      WORKFLOW_BUNDLE_PATH: s.workflowBundlePath,
      ...(this.apis[0] ? { PUBLIC_BASE_URL: this.apis[0].url } : {}),
    };
  }

  get apiUrls(): string[] {
    return this.apis.map((api) => api.url);
  }

  async startWorker(): Promise<ChildProcess> {
    const child = await startReadyProcess(WORKER_ENTRY, [], this.env());
    this.workers.push(child);
    return child;
  }

  async startApi(port?: number): Promise<ApiProcess> {
    const chosen = port ?? (await freePort());
    const child = await startReadyProcess(API_ENTRY, [], { ...this.env(), PORT: String(chosen) });
    const api = { port: chosen, url: `http://127.0.0.1:${chosen}`, child };
    const at = this.apis.findIndex((a) => a.port === chosen);
    if (at >= 0) this.apis[at] = api;
    else this.apis.push(api);
    return api;
  }

  /** SIGKILLs the worker process: its in-flight activities and workflow tasks are lost with it. */
  async killWorker(child: ChildProcess): Promise<void> {
    await stopProcess(child, 'SIGKILL');
    this.workers.splice(this.workers.indexOf(child), 1);
  }

  /** SIGKILLs the API process; its port stays its own, for startApi(port) to bring it back. */
  async killApi(api: ApiProcess): Promise<void> {
    await stopProcess(api.child, 'SIGKILL');
  }

  /** Every process still running gets SIGTERM (workers first, so no activity outlives an API). */
  async stop(): Promise<void> {
    await Promise.all(this.workers.map((child) => stopProcess(child, 'SIGTERM')));
    await Promise.all(this.apis.map((api) => stopProcess(api.child, 'SIGTERM')));
  }
}
