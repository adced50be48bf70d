import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Connection, isGrpcServiceError } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../../temporal-config/dynamic-config';
import { SEARCH_ATTRIBUTES } from '../../temporal-config/search-attributes';
import { freePortIn } from './ports';
import { stopChild, waitForFrontend, type RunningTemporal } from './temporal-dev-server';
import {
  asYaml,
  dynamicConfigDocument,
  TEMPORAL_SERVICES,
  temporalDatabases,
  temporalServerConfig,
  type TemporalService,
} from './temporal-server-config';
import { ensureTemporalServer } from './temporal-server-install';
import { migrateTemporalDatabases } from './temporal-server-schema';

export const DEFAULT_HISTORY_SHARDS = 4;

/** grpc-js `status` codes; grpc-js itself is only a dependency of the SDK. */
const GRPC_NOT_FOUND = 5;
const GRPC_ALREADY_EXISTS = 6;
/** temporal.api.enums.v1.IndexedValueType, by the SDK's names for the same types. */
const INDEXED_VALUE_TYPE: Record<SearchAttributeType, number> = {
  [SearchAttributeType.TEXT]: 1,
  [SearchAttributeType.KEYWORD]: 2,
  [SearchAttributeType.INT]: 3,
  [SearchAttributeType.DOUBLE]: 4,
  [SearchAttributeType.BOOL]: 5,
  [SearchAttributeType.DATETIME]: 6,
  [SearchAttributeType.KEYWORD_LIST]: 7,
};

/**
 * A real Temporal server (all four services in one process) on Postgres: its databases are
 * created and migrated on `databaseUrl`'s server, its config is written under `dir`, and the
 * namespace and Outdial's search attributes are registered before it is handed out.
 */
export async function startTemporalServer(options: {
  dir: string;
  databaseUrl: string;
  port: number;
  namespace: string;
  historyShards?: number;
  log?: (line: string) => void;
}): Promise<RestartableTemporal> {
  const binaries = await ensureTemporalServer(process.env, options.log);
  const databases = temporalDatabases(options.databaseUrl);
  await migrateTemporalDatabases(binaries.sqlTool, databases);

  const ports = {} as Record<TemporalService, { grpc: number; membership: number }>;
  const taken = new Set<number>(options.port ? [options.port] : []);
  const pick = () => freePortIn(20_000, 32_767, taken);
  for (const service of TEMPORAL_SERVICES) {
    // Below the kernel's ephemeral range (32768 and up): there an outgoing connection may take a
    // port between its pick and the server's bind. Membership ports are a smallint in Postgres too.
    const grpc = service === 'frontend' && options.port ? options.port : await pick();
    ports[service] = { grpc, membership: await pick() };
  }
  const dynamicConfigFile = join(options.dir, 'dynamic-config.yaml');
  await mkdir(join(options.dir, 'config'), { recursive: true });
  await writeFile(dynamicConfigFile, asYaml(dynamicConfigDocument(DEV_SERVER_DYNAMIC_CONFIG)));
  const config = temporalServerConfig({
    databases,
    historyShards: options.historyShards ?? DEFAULT_HISTORY_SHARDS,
    ports,
    dynamicConfigFile,
  });
  // It holds the database password.
  await writeFile(join(options.dir, 'config', 'development.yaml'), asYaml(config), { mode: 0o600 });

  const args = [
    '--root',
    options.dir,
    '--config',
    'config',
    '--env',
    'development',
    '--allow-no-auth',
    'start',
  ];
  const address = `127.0.0.1:${ports.frontend.grpc}`;
  let server = await launch(binaries.server, args, options.dir, address);
  try {
    await registerNamespace(address, options.namespace);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    address,
    uiUrl: undefined,
    get pid() {
      return server.pid;
    },
    stop: () => server.stop(),
    // The same config, ports and databases: clients and workers reconnect to the same address.
    async restart(downMs = 0) {
      await server.stop();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      server = await launch(binaries.server, args, options.dir, address);
      await waitUntilServing(address, options.namespace);
    },
  };
}

/** A Temporal server that can be stopped and started again on its own address, as an operator would. */
export interface RestartableTemporal extends RunningTemporal {
  /** Stops it (drained, as on a deploy), waits `downMs`, starts it again and waits until it serves. */
  restart(downMs?: number): Promise<void>;
}

/** One run of the server process, its log appended to `server.log`. */
async function launch(
  binary: string,
  args: string[],
  dir: string,
  address: string,
): Promise<{ pid: number; stop(): Promise<void> }> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // Its whole log is kept beside its config; failures quote the tail.
  const logFile = createWriteStream(join(dir, 'server.log'), { flags: 'a' });
  let output = '';
  const keep = (chunk: Buffer) => {
    logFile.write(chunk);
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  try {
    await waitForFrontend('temporal-server', address, child, () => output);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  let stopping = false;
  // Workers and clients only retry against a dead frontend: say why it died.
  child.once('exit', (code, signal) => {
    logFile.end();
    if (!stopping)
      console.error(`temporal-server exited (${signal ?? code}) while the stack ran:\n${output}`);
  });
  return {
    pid: child.pid!,
    // Its shutdown hands shards back and drains; Postgres must outlive it.
    stop: () => {
      stopping = true;
      return stopChild(child, 30_000);
    },
  };
}

/** Retried while history and matching are still joining the frontend, which answers health checks first. */
async function retrying<T>(what: string, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/**
 * The namespace and the search attributes the dev server gets from `--search-attribute`. On SQL
 * visibility they are aliases kept on the namespace, seen by every service once its namespace
 * cache refreshes (every 2 s).
 */
async function registerNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await retrying(`registering namespace ${namespace}`, async () => {
      try {
        await connection.workflowService.registerNamespace({
          namespace,
          workflowExecutionRetentionPeriod: msToTs('1 day'),
        });
      } catch (error) {
        if (!(isGrpcServiceError(error) && Number(error.code) === GRPC_ALREADY_EXISTS)) throw error;
      }
    });
    const { customAttributes } = await retrying('listing search attributes', () =>
      connection.operatorService.listSearchAttributes({ namespace }),
    );
    const missing = SEARCH_ATTRIBUTES.filter((key) => !customAttributes?.[key.name]);
    if (missing.length > 0) {
      await retrying('adding search attributes', () =>
        connection.operatorService.addSearchAttributes({
          namespace,
          searchAttributes: Object.fromEntries(
            missing.map((key) => [key.name, INDEXED_VALUE_TYPE[key.type]]),
          ),
        }),
      );
    }
  } finally {
    await connection.close();
  }
  await waitUntilServing(address, namespace);
}

/** The namespace served and every history shard owned: what a start, a poll or a signal needs. */
async function waitUntilServing(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    // A worker polling a namespace the frontend's cache does not hold yet is refused as not found.
    const query = SEARCH_ATTRIBUTES.map((key) => `${key.name} = ''`).join(' AND ');
    await retrying('waiting for the namespace to be served', () =>
      connection.workflowService.countWorkflowExecutions({ namespace, query }),
    );
    // The frontend answers before history owns its shards, and a start sent then fails. Ids spread
    // over the shards are probed until each is not found (the namespace is served: not found is
    // the workflow).
    await retrying('waiting for the history shards', () =>
      Promise.all(
        Array.from({ length: 16 }, async (_, i) => {
          const execution = { workflowId: `outdial-readiness-probe-${i}` };
          try {
            await connection.workflowService.describeWorkflowExecution({ namespace, execution });
          } catch (error) {
            if (!(isGrpcServiceError(error) && Number(error.code) === GRPC_NOT_FOUND)) throw error;
          }
        }),
      ),
    );
  } finally {
    await connection.close();
  }
}
