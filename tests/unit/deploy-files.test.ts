import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, parseConfig } from '../../infra/config/config';
import { dynamicConfigDocument } from '../../infra/stack/temporal-server-config';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../../temporal-config/dynamic-config';
import { SEARCH_ATTRIBUTES } from '../../temporal-config/search-attributes';
import {
  ROOT,
  composeFile,
  entrypointRoles,
  readDeployFile,
  type ComposeService,
} from '../support/deploy-files';

/**
 * No Docker engine runs here: these check infra/deploy's files against the code they start, so that
 * a renamed entry point, variable or port breaks a test instead of a deployment.
 */
const { services } = composeFile();
const roles = entrypointRoles();
const outdial = Object.entries(services).filter(([, service]) => service.image === 'outdial:latest');
const ONE_SHOT = new Set(['migrate', 'temporal-setup']);

const service = (name: string): ComposeService => {
  const found = services[name];
  if (!found) throw new Error(`compose.yaml has no service ${name}`);
  return found;
};
const env = (name: string) => service(name).environment ?? {};
const portOf = (url: string) => Number(new URL(url).port);
const seconds = (duration: string | undefined) => Number(/^(\d+)s$/.exec(duration ?? '')?.[1] ?? NaN);

/** Strong values for the `${NAME:?…}` the operator must give, as production demands them. */
const given: Record<string, string> = {
  POSTGRES_PASSWORD: randomBytes(16).toString('hex'),
  OUTDIAL_APP_PASSWORD: randomBytes(16).toString('hex'),
  PUBLIC_BASE_URL: 'https://outdial.example.com',
  ADMIN_TOKEN: randomBytes(24).toString('hex'),
  PAYLOAD_KEYS: `2026-12:${randomBytes(32).toString('base64')}`,
  PAYLOAD_KEY_ID: '2026-12',
  ELEVENLABS_WEBHOOK_SECRET: randomBytes(24).toString('hex'),
  ELEVENLABS_TOOL_SECRET: randomBytes(24).toString('hex'),
};

/** A service's environment as Compose interpolates it: required names from `given`, defaults otherwise. */
function interpolated(name: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env(name)).map(([key, value]) => [
      key,
      String(value).replace(
        /\$\{(\w+)(?::([?-])([^}]*))?\}/g,
        (_, variable: string, kind?: string, rest?: string) => {
          if (kind === '-') return given[variable] ?? rest ?? '';
          const value = given[variable];
          if (value === undefined)
            throw new Error(`${variable} is required by compose.yaml but not in this test's values`);
          return value;
        },
      ),
    ]),
  );
}

describe('infra/deploy', () => {
  it('runs every Outdial service as a role of the one image, each a compiled entry of a source file', () => {
    expect([...roles.keys()].sort()).toEqual(['api', 'migrate', 'simulator', 'worker']);
    for (const [role, entry] of roles) {
      const source = entry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect(existsSync(join(ROOT, source)), `${role}: ${source}`).toBe(true);
    }
    expect(outdial.map(([name]) => name).sort()).toEqual(['api', 'migrate', 'simulator', 'worker']);
    for (const [name, { command }] of outdial) expect(roles.has(command?.[0] ?? ''), name).toBe(true);
    const dockerfile = readDeployFile('Dockerfile');
    expect(dockerfile).toMatch(/^COPY infra\/deploy\/entrypoint\.sh \/usr\/local\/bin\/outdial$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["outdial"\]$/m);
    expect(dockerfile).toMatch(/^RUN npm run build && npm prune --omit=dev/m);
  });

  it('gives each Outdial process only variables it reads, and ones production accepts', () => {
    for (const name of ['api', 'worker', 'migrate']) {
      for (const key of Object.keys(env(name))) expect(CONFIG_VARIABLES, `${name}: ${key}`).toContain(key);
    }
    for (const name of ['api', 'worker']) {
      const config = parseConfig(interpolated(name));
      expect(config.NODE_ENV).toBe('production');
      expect(config.DATABASE_URL).toMatch(/^postgres:\/\/outdial_app:/);
    }
    const simulatorSource = ['main.ts', 'server.ts'].map((file) =>
      readFileSync(join(ROOT, 'infra/dev/simulator', file), 'utf8'),
    );
    const simulatorReads = new Set(
      [...simulatorSource.join('\n').matchAll(/process\.env\.(\w+)|env\(\s*'(\w+)'/g)].map(
        (m) => m[1] ?? m[2],
      ),
    );
    for (const key of Object.keys(env('simulator')))
      expect(simulatorReads.has(key), `simulator: ${key}`).toBe(true);
    const example = readDeployFile('outdial.env.example');
    const composeNames = new Set([...readDeployFile('compose.yaml').matchAll(/\$\{(\w+)/g)].map((m) => m[1]));
    for (const [, key] of example.matchAll(/^(\w+)=/gm)) {
      expect(CONFIG_VARIABLES.includes(key!) || composeNames.has(key), `outdial.env.example: ${key}`).toBe(
        true,
      );
    }
  });

  it('agrees on ports: what each process listens on, publishes, checks and is reached at', () => {
    const api = interpolated('api');
    expect(service('api').ports).toContain(`${api.PORT}:${api.PORT}`);
    expect(service('api').healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${api.PORT}/readyz`);
    expect(portOf(interpolated('simulator').SIMULATOR_WEBHOOK_BASE_URL!)).toBe(Number(api.PORT));
    const ui = env('temporal-ui');
    expect(portOf(String(ui.TEMPORAL_CODEC_ENDPOINT))).toBe(Number(api.PORT));
    const uiHostPort = service('temporal-ui').ports?.[0]?.split(':')[0];
    expect(api.CODEC_UI_ORIGINS).toBe(`http://localhost:${uiHostPort}`);
    expect(api.TEMPORAL_UI_URL).toBe(`http://localhost:${uiHostPort}`);

    const worker = interpolated('worker');
    expect(service('worker').expose).toEqual([worker.WORKER_METRICS_PORT]);
    expect(service('worker').healthcheck?.test.join(' ')).toContain(
      `http://127.0.0.1:${worker.WORKER_METRICS_PORT}/metrics`,
    );
    const simulator = interpolated('simulator');
    expect(service('simulator').expose).toEqual([simulator.SIMULATOR_PORT]);
    expect(service('simulator').healthcheck?.test.join(' ')).toContain(
      `connect(${simulator.SIMULATOR_PORT},`,
    );

    const [, temporalPort] = api.TEMPORAL_ADDRESS!.split(':');
    expect(api.TEMPORAL_ADDRESS).toBe(`temporal:${temporalPort}`);
    expect(service('temporal').ports).toContain(`${temporalPort}:${temporalPort}`);
    expect(env('temporal-setup').TEMPORAL_ADDRESS).toBe(api.TEMPORAL_ADDRESS);
    expect(env('temporal-ui').TEMPORAL_ADDRESS).toBe(api.TEMPORAL_ADDRESS);
    const exposed = /^EXPOSE (.+)$/m.exec(readDeployFile('Dockerfile'))?.[1]?.split(' ');
    expect(exposed).toEqual([api.PORT, worker.WORKER_METRICS_PORT, simulator.SIMULATOR_PORT]);
  });

  it('checks the health of every long-running service, and starts each after what it needs', () => {
    for (const [name, s] of Object.entries(services)) {
      if (!ONE_SHOT.has(name))
        expect(s.healthcheck?.test.length, `${name} has a healthcheck`).toBeGreaterThan(0);
      for (const [needed, { condition }] of Object.entries(s.depends_on ?? {})) {
        const other = service(needed);
        if (condition === 'service_healthy')
          expect(other.healthcheck, `${name} waits for ${needed}'s health`).toBeDefined();
        else
          expect([condition, ONE_SHOT.has(needed)], `${name} waits for ${needed}`).toEqual([
            'service_completed_successfully',
            true,
          ]);
      }
    }
    expect(service('migrate').restart).toBe('no');
    for (const name of ['api', 'worker']) {
      expect(Object.keys(service(name).depends_on ?? {}).sort()).toEqual(['migrate', 'temporal-setup']);
    }
  });

  it('runs several workers, and lets the API and each worker drain before Docker kills them', () => {
    expect(service('worker').deploy?.replicas).toBeGreaterThanOrEqual(2);
    // A published port would be taken by the first replica.
    expect(service('worker').ports).toBeUndefined();
    const worker = parseConfig(interpolated('worker'));
    expect(seconds(service('worker').stop_grace_period)).toBeGreaterThan(
      worker.WORKER_SHUTDOWN_GRACE_SECONDS,
    );
    const api = parseConfig(interpolated('api'));
    expect(seconds(service('api').stop_grace_period)).toBeGreaterThan(
      api.API_DRAIN_DELAY_SECONDS + api.API_SHUTDOWN_GRACE_SECONDS,
    );
  });

  it('runs Temporal with the namespace, search attributes and dynamic config Outdial relies on', () => {
    const temporal = env('temporal');
    const namespace = interpolated('api').TEMPORAL_NAMESPACE;
    expect(temporal.DEFAULT_NAMESPACE).toBe(namespace);
    const setup = service('temporal-setup').command?.join(' ') ?? '';
    expect(setup).toContain(`--namespace ${namespace}`);
    const registered = [...setup.matchAll(/--name (\w+)/g)].map((m) => m[1]).sort();
    expect(registered).toEqual(SEARCH_ATTRIBUTES.map((key) => key.name).sort());

    const mounted = service('temporal').volumes?.find((v) => v.startsWith('./temporal-dynamic-config.yaml:'));
    expect(mounted?.split(':')[1]).toBe(`/etc/temporal/${String(temporal.DYNAMIC_CONFIG_FILE_PATH)}`);
    expect(parse(readDeployFile('temporal-dynamic-config.yaml'))).toEqual(
      dynamicConfigDocument(DEV_SERVER_DYNAMIC_CONFIG),
    );
    expect(temporal.POSTGRES_SEEDS).toBe('postgres');
    expect(interpolated('migrate').MIGRATION_DATABASE_URL).toMatch(/@postgres:5432\/outdial$/);
  });
});
