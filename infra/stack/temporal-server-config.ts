/** The databases one Temporal server keeps, on one Postgres server, reached as one role. */
export interface TemporalDatabases {
  host: string;
  port: number;
  user: string;
  password: string;
  persistence: string;
  visibility: string;
}

/** Named after the app's database, so stacks sharing a Postgres server keep apart. */
export function temporalDatabases(appDatabaseUrl: string): TemporalDatabases {
  const url = new URL(appDatabaseUrl);
  const app = decodeURIComponent(url.pathname.slice(1)) || 'postgres';
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    persistence: `${app}_temporal`,
    visibility: `${app}_temporal_visibility`,
  };
}

export type TemporalService = 'frontend' | 'history' | 'matching' | 'worker';
export const TEMPORAL_SERVICES: readonly TemporalService[] = ['frontend', 'history', 'matching', 'worker'];

export interface ServerConfigInput {
  databases: TemporalDatabases;
  /** Fixed once the persistence database is set up: Temporal refuses to start with another count. */
  historyShards: number;
  ports: Record<TemporalService, { grpc: number; membership: number }>;
  dynamicConfigFile: string;
}

function datastore(databases: TemporalDatabases, databaseName: string, maxConns: number) {
  return {
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${databases.host}:${databases.port}`,
      connectProtocol: 'tcp',
      user: databases.user,
      password: databases.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  };
}

/**
 * All four services in one process on loopback, after the module's config/development-postgres12.yaml.
 * No metrics and no pprof listener: neither is read here, and each would be one more port to collide on.
 */
export function temporalServerConfig(input: ServerConfigInput): Record<string, unknown> {
  const { databases, ports } = input;
  return {
    log: { stdout: true, level: 'warn', format: 'json' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: input.historyShards,
      datastores: {
        'postgres-default': datastore(databases, databases.persistence, 20),
        'postgres-visibility': datastore(databases, databases.visibility, 5),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: Object.fromEntries(
      TEMPORAL_SERVICES.map((service) => [
        service,
        {
          rpc: {
            grpcPort: ports[service].grpc,
            membershipPort: ports[service].membership,
            bindOnLocalHost: true,
          },
        },
      ]),
    ),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${ports.frontend.grpc}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: input.dynamicConfigFile, pollInterval: '10s' },
  };
}

/** The file form of dynamic config: every key one unconstrained value. */
export function dynamicConfigDocument(
  values: Record<string, string | number | boolean>,
): Record<string, { value: string | number | boolean; constraints: Record<string, never> }[]> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, [{ value, constraints: {} }]]),
  );
}

/** JSON is YAML (1.2), which is what the server's loader reads; no YAML writer needed. */
export function asYaml(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
