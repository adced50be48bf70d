import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SchemaObject } from '@nestjs/swagger';
import { describe, expect, it } from 'vitest';
import { CampaignConfigSchema } from '../../api/campaigns/campaign-config';
import { toOpenApi } from '../../api/common/validation';

const ROOT = join(__dirname, '..', '..');

/** Dotted paths of every property of a JSON schema, nested objects included. */
function propertyPaths(schema: SchemaObject, prefix = ''): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => [
    `${prefix}${name}`,
    ...propertyPaths(property as SchemaObject, `${prefix}${name}.`),
  ]);
}

describe('docs/campaign-config.md', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'campaign-config.md'), 'utf8');
  const documented = new Set([...doc.matchAll(/^\| `([\w.]+)`/gm)].map((match) => match[1] ?? ''));

  it('has a row for every field of the campaign config schema, and none for a field it lacks', () => {
    const fields = propertyPaths(toOpenApi(CampaignConfigSchema));
    expect(fields).toContain('retry.maxAttempts');
    expect(fields.filter((field) => !documented.has(field))).toEqual([]);
    expect([...documented].filter((row) => !fields.includes(row) && !/^[A-Z_]+$/.test(row))).toEqual([]);
  });

  it('shows the demo campaign as its example, which the schema accepts', () => {
    const demo: unknown = JSON.parse(
      readFileSync(join(ROOT, 'infra', 'dev', 'demo', 'demo-campaign.json'), 'utf8'),
    );
    const shown = /## Example[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(JSON.parse(shown ?? 'null')).toEqual(demo);
    expect(CampaignConfigSchema.safeParse(demo).success).toBe(true);
  });
});
