import { afterAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { freePort } from '../../infra/stack/ports';
import { startWorkerMetricsServer } from '../../worker/metrics-server';

describe("a production worker's /metrics", () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((server) => server.close()));

  const serve = async (token?: string) => {
    const port = await freePort();
    servers.push(await startWorkerMetricsServer(port, token));
    return `http://127.0.0.1:${port}`;
  };

  it("serves the process's metrics, and asks for the token when one is set", async () => {
    const open = await serve();
    const metrics = await fetch(`${open}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^outdial_process_resident_memory_bytes \d+$/m);
    expect((await fetch(`${open}/other`)).status).toBe(404);

    const guarded = await serve('metrics-token-of-16+chars');
    expect((await fetch(`${guarded}/metrics`)).status).toBe(401);
    const allowed = await fetch(`${guarded}/metrics`, {
      headers: { authorization: 'Bearer metrics-token-of-16+chars' },
    });
    expect(allowed.status).toBe(200);
  });
});
