/**
 * Console page loads with a large campaign: `npm run bench -- console [calls] [runs]` (default
 * 100,000 calls, 5 runs). A campaign of that many contacts, each with a finished call of mixed
 * outcomes, is written straight into Postgres (generate_series: the import and the calls are other
 * benchmarks), then a real Chromium signs in and opens, each run in a fresh page:
 *  - the campaign page, until its progress reads "N of N" and both charts are drawn;
 *  - the calls list filtered to that campaign, until its first page of rows shows;
 * beside the API requests those pages wait on (GET stats, GET calls), timed from Node.
 * Prints one JSON line per figure and a table.
 */
import { sql } from 'kysely';
import { hashPassword } from '../../api/auth/passwords';
import type { ImportReport } from '../../api/import/types';
import { startSystem } from '../../infra/stack/system';
import { ensureConsoleBuilt } from '../../infra/web/build-console';
import { insertUser } from '../../schema/repositories/users.repository';
import { launchBrowser } from '../../tests/support/chromium';
import { benchPostgres } from '../bench-postgres';
import { percentile } from '../percentile';
import { report } from '../report';

const CALLS = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.argv[3] ?? 5);
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

interface Figure {
  figure: string;
  runs: number[];
}

async function main(): Promise<void> {
  const [system] = await Promise.all([
    startSystem({ engine: 'dev', postgres: benchPostgres(), env: { NODE_ENV: 'test' }, api: {}, log }),
    ensureConsoleBuilt(log),
  ]);
  try {
    const { tenantId, apiKey } = await system.createTenant('Console bench');
    const email = 'bench@outdial.local';
    const password = 'console-bench-password';
    await insertUser(system.db, {
      tenantId,
      email,
      passwordHash: await hashPassword(password),
      role: 'manager',
    });
    const campaignId = await seedCampaign(system.db, tenantId, CALLS);
    log(`seeded ${CALLS} contacts and calls`);

    const api = async (path: string) => {
      const started = performance.now();
      const response = await fetch(`${system.apiUrl}${path}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
      return performance.now() - started;
    };
    const figures: Figure[] = [
      { figure: 'api GET stats', runs: [] },
      { figure: 'api GET calls (first page)', runs: [] },
      { figure: 'campaign page to counters and charts', runs: [] },
      { figure: 'calls page to its first rows', runs: [] },
    ];
    await api(`/v1/campaigns/${campaignId}/stats`); // the first read warms Postgres's cache, as a live system's is
    for (let run = 0; run < RUNS; run++) {
      figures[0]!.runs.push(await api(`/v1/campaigns/${campaignId}/stats`));
      figures[1]!.runs.push(await api(`/v1/calls?campaignId=${campaignId}`));
    }

    log(
      `api: stats ${figures[0]!.runs.map(Math.round).join(', ')} ms; calls ${figures[1]!.runs.map(Math.round).join(', ')} ms`,
    );
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({
        baseURL: system.apiUrl,
        viewport: { width: 1280, height: 800 },
        locale: 'en-GB',
      });
      const signIn = await context.newPage();
      await signIn.goto('/');
      await signIn.getByLabel('Email').fill(email);
      await signIn.getByLabel('Password').fill(password);
      await signIn.getByRole('button', { name: 'Sign in' }).click();
      await signIn.getByRole('button', { name: 'Sign out' }).waitFor();
      await signIn.close();
      const total = new Intl.NumberFormat('en-GB').format(CALLS);
      for (let run = 0; run < RUNS; run++) {
        const page = await context.newPage();
        let started = performance.now();
        await page.goto(`/campaigns/${campaignId}`);
        await page.getByText(`${total} of ${total} contacts finished`).waitFor({ timeout: 60_000 });
        await page.locator('.chart .recharts-surface').nth(1).waitFor({ timeout: 60_000 });
        figures[2]!.runs.push(performance.now() - started);
        started = performance.now();
        await page.goto(`/calls?campaignId=${campaignId}`);
        await page.locator('table tbody tr').first().waitFor({ timeout: 60_000 });
        figures[3]!.runs.push(performance.now() - started);
        await page.close();
      }
    } finally {
      await browser.close();
    }

    report(
      'console',
      figures.map(({ figure, runs }) => ({
        name: `${figure} p50`,
        value: percentile(
          [...runs].sort((a, b) => a - b),
          50,
        ),
        unit: 'ms',
      })),
    );
    console.log(
      `\n${'figure'.padEnd(40)} ${'min ms'.padStart(8)} ${'p50 ms'.padStart(8)} ${'max ms'.padStart(8)}   (${CALLS} calls, ${RUNS} runs)`,
    );
    for (const { figure, runs } of figures) {
      const sorted = [...runs].sort((a, b) => a - b);
      const cell = (ms: number) => String(Math.round(ms)).padStart(8);
      console.log(
        `${figure.padEnd(40)} ${cell(sorted[0]!)} ${cell(percentile(sorted, 50))} ${cell(sorted.at(-1)!)}`,
      );
    }
  } finally {
    await system.close();
  }
}

/** A completed campaign of `count` contacts, each with one finished call spread over an hour. */
async function seedCampaign(
  db: Parameters<typeof insertUser>[0],
  tenantId: string,
  count: number,
): Promise<string> {
  const campaign = await db
    .insertInto('campaigns')
    .values({
      tenant_id: tenantId,
      name: `Bench campaign of ${count}`,
      status: 'completed',
      config: JSON.stringify(BENCH_CONFIG),
      mapping: JSON.stringify({
        phone: 'telefon',
        name: 'ad',
        variables: { amount: 'tutar', due_date: 'son_odeme_tarihi' },
      }),
      report: JSON.stringify({
        total: count,
        valid: count,
        invalid: 0,
        duplicates: 0,
        dnc: 0,
        errors: [],
        errorsOmitted: 0,
      } satisfies ImportReport),
      source_file_name: 'bench.xlsx',
      started_at: sql`now() - interval '1 hour'`,
      finished_at: sql`now()`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`
    insert into contacts (campaign_id, tenant_id, row_number, seq, phone_e164, raw_phone, name, variables, attempts)
    select ${campaign.id}, ${tenantId}, i + 2, i, '+90532' || lpad(i::text, 7, '0'), '0532' || lpad(i::text, 7, '0'),
           'Kişi ' || i, jsonb_build_object('amount', (100 + i % 900) || ' TL', 'due_date', '2026-12-01'), 1
    from generate_series(0, ${count - 1}) as i`.execute(db);
  // Outcomes in the proportions a reminder campaign sees: most answered, then voicemail, no answer, busy.
  await sql`
    insert into call_attempts (id, tenant_id, campaign_id, contact_id, attempt, to_number, provider, status, outcome, label,
                               started_at, answered_at, ended_at, duration_s, cost, workflow_id)
    select gen_random_uuid(), c.tenant_id, c.campaign_id, c.id, 1, c.phone_e164, 'elevenlabs',
           o.status, o.outcome, o.label,
           t.started, t.started + interval '5 seconds', t.started + interval '45 seconds', 40, 0.04, 'call-' || c.id
    from contacts c
    cross join lateral (select now() - interval '1 hour' + (c.seq::float / ${count}) * interval '58 minutes' as started) t
    cross join lateral (select * from (values
        (0, 'completed', 'success', 'YES'), (1, 'completed', 'success', 'NO'), (2, 'completed', 'success', 'LATER'),
        (3, 'completed', 'voicemail', null), (4, 'no_answer', 'no_answer', null), (5, 'busy', 'busy', null),
        (6, 'completed', 'success', 'YES'), (7, 'completed', 'opted_out', 'DONT_CALL'), (8, 'failed', 'failed', null),
        (9, 'completed', 'success', 'YES')) as v(k, status, outcome, label) where v.k = c.seq % 10) o
    where c.campaign_id = ${campaign.id}`.execute(db);
  await sql`analyze contacts`.execute(db);
  await sql`analyze call_attempts`.execute(db);
  return campaign.id;
}

const BENCH_CONFIG = {
  name: 'Bench campaign',
  callType: 'BILLING_REMINDER',
  provider: 'elevenlabs',
  language: 'tr',
  defaultCountry: 'TR',
  timezone: 'Europe/Istanbul',
  callingWindow: { start: '09:00', end: '20:00', days: [1, 2, 3, 4, 5, 6, 7] },
  maxConcurrentCalls: 50,
  callsPerSecond: 5,
  columnMapping: {
    phone: 'telefon',
    name: 'ad',
    variables: { amount: 'tutar', due_date: 'son_odeme_tarihi' },
  },
};

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
