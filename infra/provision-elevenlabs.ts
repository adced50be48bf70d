/** `npm run provision:elevenlabs`: sets up the ElevenLabs agent and webhook from the environment. */
import { provisionElevenLabs } from '../activities/providers/elevenlabs/provision';
import { parseConfig } from './config/config';

async function main(): Promise<void> {
  const config = parseConfig();
  if (!config.ELEVENLABS_API_KEY) throw new Error('ELEVENLABS_API_KEY is required to provision ElevenLabs');
  const report = await provisionElevenLabs({
    apiKey: config.ELEVENLABS_API_KEY,
    ...(config.ELEVENLABS_BASE_URL ? { baseUrl: config.ELEVENLABS_BASE_URL } : {}),
    agentId: config.ELEVENLABS_AGENT_ID,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    toolSecret: config.ELEVENLABS_TOOL_SECRET,
    promptOverride: config.ELEVENLABS_PROMPT_OVERRIDE !== undefined,
  });
  for (const change of report.changes) console.log(`changed: ${change}`);
  if (report.changes.length === 0) console.log('nothing to change');
  if (report.newWebhookSecret) {
    console.log(`set ELEVENLABS_WEBHOOK_SECRET to the new webhook's HMAC secret: ${report.newWebhookSecret}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
