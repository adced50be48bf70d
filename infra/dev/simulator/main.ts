import { isScenarioName } from './scenarios';
import { startSimulator } from './server';

function env(name: string, fallback?: string): string {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === '') {
    console.error(`simulator: ${name} must be set`);
    process.exit(1);
  }
  return value;
}

async function main(): Promise<void> {
  const scenario = process.env.SIMULATOR_SCENARIO;
  if (scenario !== undefined && !isScenarioName(scenario)) {
    console.error(`simulator: unknown SIMULATOR_SCENARIO "${scenario}"`);
    process.exit(1);
  }
  const seed = process.env.SIMULATOR_SEED;
  const sim = await startSimulator({
    port: Number(process.env.SIMULATOR_PORT ?? 4010),
    host: process.env.SIMULATOR_HOST ?? '127.0.0.1',
    // Several API processes, comma-separated: webhooks are spread over them round-robin.
    webhookBaseUrl: env(
      'SIMULATOR_WEBHOOK_BASE_URL',
      process.env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`,
    ).split(','),
    elevenlabsWebhookSecret: env('ELEVENLABS_WEBHOOK_SECRET'),
    elevenlabsToolSecret: env('ELEVENLABS_TOOL_SECRET'),
    ultravoxWebhookSecret: env('ULTRAVOX_WEBHOOK_SECRET'),
    asteriskWebhookToken: env('ASTERISK_WEBHOOK_TOKEN'),
    ...(scenario !== undefined ? { scenario } : {}),
    ...(seed !== undefined ? { seed: Number(seed) } : {}),
    timing: {
      ringMs: Number(process.env.SIMULATOR_RING_MS ?? 2000),
      talkMs: Number(process.env.SIMULATOR_TALK_MS ?? 6000),
      webhookDelayMs: Number(process.env.SIMULATOR_WEBHOOK_DELAY_MS ?? 500),
      dialResponseDelayMs: Number(process.env.SIMULATOR_DIAL_RESPONSE_DELAY_MS ?? 0),
    },
    elevenlabsAudioWebhook: process.env.SIMULATOR_AUDIO_WEBHOOK === 'true',
    logger: (line) => console.error(`simulator: ${line}`),
  });
  console.log(`simulator listening on ${sim.url}`);
  const stop = () => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
