import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionElevenLabs, type ProvisionSettings } from '../../activities/providers/elevenlabs/provision';
import type { Simulator } from '../../infra/dev/simulator/server';
import { startApiOnlySimulator } from '../support/simulator';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- recorded JSON bodies, asserted by shape
type Body = any;

describe('provision:elevenlabs against the simulator', () => {
  let sim: Simulator;
  let settings: ProvisionSettings;

  beforeAll(async () => {
    sim = await startApiOnlySimulator();
    settings = {
      apiKey: 'xi-test',
      baseUrl: sim.url,
      agentId: 'agent_outdial_demo',
      publicBaseUrl: 'https://outdial.example.com',
      toolSecret: 'tool-secret-1',
    };
  });
  afterAll(async () => sim?.close());

  it('creates the tools, attaches them to the agent and sets the post-call webhook', async () => {
    const report = await provisionElevenLabs(settings);
    expect(Object.keys(report.toolIds).sort()).toEqual(
      ['create_callback', 'flow_turn', 'log_call_outcome', 'schedule_followup', 'set_do_not_call'].sort(),
    );
    expect(report.changes).toHaveLength(10);
    expect(report.newWebhookSecret).toBe('sim-webhook-secret');

    const created = sim.requests.filter((r) => r.method === 'POST' && r.path === '/v1/convai/tools');
    const flowTurn = created.map((r) => (r.body as Body).tool_config).find((c) => c.name === 'flow_turn');
    expect(flowTurn).toMatchObject({
      type: 'webhook',
      api_schema: {
        url: 'https://outdial.example.com/api/elevenlabs/tools/flow_turn',
        method: 'POST',
        request_headers: { 'X-Tool-Secret': 'tool-secret-1' },
        request_body_schema: {
          type: 'object',
          required: ['call_id', 'request_id'],
          properties: { call_id: { type: 'string', dynamic_variable: 'call_id' } },
        },
      },
    });
    const agentPatch = sim.requests.find(
      (r) => r.method === 'PATCH' && r.path === '/v1/convai/agents/agent_outdial_demo',
    );
    expect((agentPatch?.body as Body).conversation_config.agent.prompt.tool_ids.sort()).toEqual(
      Object.values(report.toolIds).sort(),
    );
    // The agent transfers to the call's own transfer number, read from its dynamic variables.
    const transferPatch = sim.requests.find(
      (r) => r.method === 'PATCH' && (r.body as Body).conversation_config?.agent?.prompt?.built_in_tools,
    );
    expect((transferPatch?.body as Body).conversation_config.agent.prompt.built_in_tools).toEqual({
      transfer_to_number: {
        name: 'transfer_to_number',
        description: 'Transfer the person to a human representative.',
        params: {
          system_tool_type: 'transfer_to_number',
          transfers: [
            {
              transfer_destination: { type: 'phone_dynamic_variable', phone_number: 'transfer_number' },
              condition: expect.stringContaining('transfer_to') as string,
              transfer_type: 'conference',
            },
          ],
        },
      },
    });
    // The agent lets each call set the first message and language Outdial sends.
    const overridesPatch = sim.requests.find(
      (r) => r.method === 'PATCH' && (r.body as Body).platform_settings?.overrides,
    );
    expect((overridesPatch?.body as Body).platform_settings.overrides).toEqual({
      conversation_config_override: { agent: { first_message: true, language: true } },
    });
    const settingsPatch = sim.requests.find((r) => r.method === 'PATCH' && r.path === '/v1/convai/settings');
    expect((settingsPatch?.body as Body).webhooks).toMatchObject({
      post_call_webhook_id: report.postCallWebhookId,
      events: ['transcript', 'call_initiation_failure'],
    });
    const webhookCreate = sim.requests.find(
      (r) => r.method === 'POST' && r.path === '/v1/workspace/webhooks',
    );
    expect((webhookCreate?.body as Body).settings).toMatchObject({
      auth_type: 'hmac',
      webhook_url: 'https://outdial.example.com/api/elevenlabs/webhook',
    });
  });

  it('changes nothing on a second run', async () => {
    const writesBefore = sim.requests.filter((r) => r.method !== 'GET').length;
    const report = await provisionElevenLabs(settings);
    expect(report.changes).toEqual([]);
    expect(report.newWebhookSecret).toBeUndefined();
    expect(sim.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);
  });

  it('updates only what drifted: a rotated tool secret touches the five tools and nothing else', async () => {
    const report = await provisionElevenLabs({ ...settings, toolSecret: 'tool-secret-2' });
    expect(report.changes).toHaveLength(5);
    expect(report.changes.every((c) => c.startsWith('updated tool'))).toBe(true);
    expect((await provisionElevenLabs({ ...settings, toolSecret: 'tool-secret-2' })).changes).toEqual([]);
  });

  it('allows the prompt override too once ELEVENLABS_PROMPT_OVERRIDE is set, and only then', async () => {
    const withPrompt = { ...settings, toolSecret: 'tool-secret-2', promptOverride: true };
    const report = await provisionElevenLabs(withPrompt);
    expect(report.changes).toEqual([
      "allowed agent agent_outdial_demo's per-call overrides: first message, language, prompt",
    ]);
    const agent = (await (
      await fetch(`${sim.url}/v1/convai/agents/agent_outdial_demo`, { headers: { 'xi-api-key': 'xi-test' } })
    ).json()) as Body;
    expect(agent.platform_settings.overrides.conversation_config_override.agent).toEqual({
      first_message: true,
      language: true,
      prompt: { prompt: true },
    });
    expect((await provisionElevenLabs(withPrompt)).changes).toEqual([]);
  });
});
