interface Waiting<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes the items submitted while earlier writes are in flight together, in one statement: under
 * load many requests share a round trip and a commit, and an idle submit is written at once.
 * `write` answers one result per item, in order.
 */
export class GroupCommit<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: (items: I[]) => Promise<O[]>,
    private readonly limits: { concurrentWrites: number; batchSize: number },
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.startWrites();
    });
  }

  private startWrites(): void {
    while (this.inFlight < this.limits.concurrentWrites && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.limits.batchSize);
      this.inFlight += 1;
      void this.writeBatch(batch).finally(() => {
        this.inFlight -= 1;
        this.startWrites();
      });
    }
  }

  private async writeBatch(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const results = await this.write(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // One bad item must not fail the requests that came with it: each is written alone.
      await Promise.all(batch.map((w) => this.writeBatch([w])));
    }
  }
}
