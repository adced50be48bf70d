import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const ROOT = join(__dirname, '..', '..');
export const DEPLOY = join(ROOT, 'infra', 'deploy');

export const readDeployFile = (name: string) => readFileSync(join(DEPLOY, name), 'utf8');

/** The image's roles and the compiled entry each starts (infra/deploy/entrypoint.sh), e.g. api → dist/api/main.js. */
export function entrypointRoles(): Map<string, string> {
  return new Map(
    [...readDeployFile('entrypoint.sh').matchAll(/^\s*(\w+)\) exec node (\S+)/gm)].map((m) => [m[1]!, m[2]!]),
  );
}

export interface ComposeService {
  image?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  expose?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  restart?: string;
  stop_grace_period?: string;
  profiles?: string[];
  volumes?: string[];
}

/** compose.yaml with its anchors and merge keys resolved, as Docker Compose reads it. */
export function composeFile(): { services: Record<string, ComposeService> } {
  return parse(readDeployFile('compose.yaml'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
}
