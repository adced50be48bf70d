import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export class PortTakenError extends Error {
  override readonly name = 'PortTakenError';
}

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(false) : reject(error),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A free port in [min, max], tried at random, for ports outside the kernel's ephemeral range. Not
 * one of `taken` (picks not bound yet), to which it is added.
 */
export async function freePortIn(min: number, max: number, taken = new Set<number>()): Promise<number> {
  for (let tries = 0; tries < 100; tries++) {
    const port = min + Math.floor(Math.random() * (max - min + 1));
    if (taken.has(port) || !(await isFree(port))) continue;
    taken.add(port);
    return port;
  }
  throw new Error(`no free port between ${min} and ${max} after 100 tries`);
}

/**
 * Refuses fixed ports something already listens on. A Temporal dev server left on its port would
 * otherwise answer the health check in place of the one just spawned, and be used without a word.
 */
export async function assertPortsFree(ports: { port: number; what: string }[]): Promise<void> {
  for (const { port, what } of ports) {
    if (!(await isFree(port)))
      throw new PortTakenError(
        `port ${port} (${what}) is in use: stop what listens there, or ask for free ports`,
      );
  }
}
