import { createServer, type Server, type Socket } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../api/create-app';
import { createDatabase, type Database } from '../../schema/database';
import { startTestStack, type TestStack } from '../support/stack';

/** A "Postgres" that accepts connections and never says a word: a stalled server. */
function silentServer(): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, sockets })));
}

describe('a stalled database (issue 20, item 13)', () => {
  let stack: TestStack;
  let silent: Awaited<ReturnType<typeof silentServer>>;
  let db: Database;

  beforeAll(async () => {
    [stack, silent] = await Promise.all([startTestStack(), silentServer()]);
    db = createDatabase(`postgres://outdial@127.0.0.1:${silent.port}/outdial`, 2);
  });
  afterAll(async () => {
    await db?.destroy().catch(() => {});
    for (const socket of silent?.sockets ?? []) socket.destroy();
    silent?.server.close();
    await stack?.close();
  });

  it('answers /readyz with 503 NOT_READY naming Postgres, in seconds, without the driver’s error text', async () => {
    const app = await createApiApp({ config: stack.config, db, systemDb: db, temporal: stack.client }, { logger: false });
    await app.init();
    try {
      const started = Date.now();
      const res = await request(app.getHttpServer()).get('/readyz').expect(503);
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(res.body).toMatchObject({ code: 'NOT_READY', unavailable: ['postgres'] });
      expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|outdial@|timeout|ECONN/i);
      // The other probe is not held by the stalled pool.
      await request(app.getHttpServer()).get('/healthz').expect(200);
    } finally {
      await app.close();
    }
  });

  it('gives up opening a connection after the pool timeout instead of waiting for TCP', async () => {
    const started = Date.now();
    await expect(db.selectFrom('tenants').select('id').execute()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});
