import { describe, expect, it } from 'vitest';
import { chosenEngine } from '../../infra/stack/engine-choice';
import {
  asYaml,
  dynamicConfigDocument,
  TEMPORAL_SERVICES,
  temporalDatabases,
  temporalServerConfig,
} from '../../infra/stack/temporal-server-config';

describe('the Temporal server engine', () => {
  it('keeps its databases beside the app database, as its role', () => {
    expect(
      temporalDatabases('postgres://app:p%40ss%3Aword@db.internal:6543/outdial_prod?sslmode=disable'),
    ).toEqual({
      host: 'db.internal',
      port: 6543,
      user: 'app',
      password: 'p@ss:word',
      persistence: 'outdial_prod_temporal',
      visibility: 'outdial_prod_temporal_visibility',
    });
    expect(temporalDatabases('postgresql://outdial:outdial@127.0.0.1/outdial').port).toBe(5432);
  });

  it('writes a config with Postgres stores, the shard count and every service on its own ports', () => {
    const ports = Object.fromEntries(
      TEMPORAL_SERVICES.map((service, i) => [service, { grpc: 7233 + i, membership: 26933 + i }]),
    ) as Parameters<typeof temporalServerConfig>[0]['ports'];
    const config = temporalServerConfig({
      databases: temporalDatabases('postgres://outdial:secret@127.0.0.1:5433/outdial'),
      historyShards: 8,
      ports,
      dynamicConfigFile: '/data/temporal-server/dynamic-config.yaml',
    });
    expect(config).toMatchObject({
      persistence: {
        numHistoryShards: 8,
        datastores: {
          'postgres-default': {
            sql: {
              pluginName: 'postgres12',
              databaseName: 'outdial_temporal',
              connectAddr: '127.0.0.1:5433',
            },
          },
          'postgres-visibility': { sql: { databaseName: 'outdial_temporal_visibility', password: 'secret' } },
        },
      },
      services: {
        frontend: { rpc: { grpcPort: 7233, membershipPort: 26933 } },
        worker: { rpc: { grpcPort: 7236, membershipPort: 26936 } },
      },
      clusterMetadata: { clusterInformation: { active: { rpcAddress: '127.0.0.1:7233' } } },
      dynamicConfigClient: { filepath: '/data/temporal-server/dynamic-config.yaml' },
    });
    expect(JSON.parse(asYaml(config))).toEqual(config);
  });

  it('gives every dynamic config key one unconstrained value', () => {
    expect(
      dynamicConfigDocument({ 'limit.maxIDLength': 255, 'frontend.enableUpdateWorkflowExecution': true }),
    ).toEqual({
      'limit.maxIDLength': [{ value: 255, constraints: {} }],
      'frontend.enableUpdateWorkflowExecution': [{ value: true, constraints: {} }],
    });
  });

  it('is chosen by --engine, else OUTDIAL_TEMPORAL_ENGINE, else the dev server', () => {
    expect(chosenEngine([], {})).toBe('dev');
    expect(chosenEngine([], { OUTDIAL_TEMPORAL_ENGINE: 'server' })).toBe('server');
    expect(chosenEngine(['--no-demo', '--engine', 'server'], {})).toBe('server');
    expect(chosenEngine(['--engine=dev'], { OUTDIAL_TEMPORAL_ENGINE: 'server' })).toBe('dev');
    expect(() => chosenEngine(['--engine'], {})).toThrow('--engine must be dev or server');
    expect(() => chosenEngine([], { OUTDIAL_TEMPORAL_ENGINE: 'cloud' })).toThrow(
      'OUTDIAL_TEMPORAL_ENGINE must be dev or server, not cloud',
    );
  });
});
