import type { Worker } from '@temporalio/worker';

/** Outdial workers polling one task queue from this process. */
export class WorkerPool {
  private running: { worker: Worker; done: Promise<void> }[] = [];

  constructor(
    private readonly create: () => Promise<Worker>,
    private readonly count: number,
  ) {}

  get workers(): Worker[] {
    return this.running.map(({ worker }) => worker);
  }

  async start(): Promise<void> {
    for (let i = 0; i < this.count; i++) {
      const worker = await this.create();
      this.running.push({ worker, done: worker.run() });
    }
  }

  async stop(): Promise<void> {
    for (const { worker } of this.running) if (worker.getState() === 'RUNNING') worker.shutdown();
    await Promise.all(this.running.map(({ done }) => done));
    this.running = [];
  }

  /** Stops every worker, as a crash or a deploy would, and starts fresh ones after `downMs`. */
  async restart(downMs = 0): Promise<void> {
    await this.stop();
    if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.start();
  }
}
