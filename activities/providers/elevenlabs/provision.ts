/**
 * Creates or updates, through the official SDK, what the ElevenLabs side needs for Outdial:
 * the server tools (flow_turn and the allowlist) on the agent, its transfer_to_number system tool
 * (destination: the call's `transfer_number` dynamic variable), and the workspace post-call webhook
 * (transcript + call_initiation_failure, HMAC). Idempotent: a second run changes nothing.
 * Seed 000's flow runner never ran because these were set in the wrong place; this is the one place.
 *
 *   npm run provision:elevenlabs   (ELEVENLABS_API_KEY, ELEVENLABS_AGENT_ID, PUBLIC_BASE_URL, ...)
 */
import { ElevenLabsClient, type ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { TOOL_ALLOWLIST, TRANSFER_NUMBER_VARIABLE } from '../../../domain/flow-runner';

type WebhookTool = ElevenLabs.ToolRequestModelToolConfig.Webhook;

export interface ProvisionSettings {
  apiKey: string;
  baseUrl?: string;
  agentId: string;
  publicBaseUrl: string;
  toolSecret: string;
  /** ELEVENLABS_PROMPT_OVERRIDE is set: the agent must also let each call replace its prompt. */
  promptOverride?: boolean;
}

export interface ProvisionReport {
  changes: string[];
  toolIds: Record<string, string>;
  postCallWebhookId: string;
  /** Only when the webhook was created now: ElevenLabs generates it; set ELEVENLABS_WEBHOOK_SECRET to it. */
  newWebhookSecret?: string;
}

const DESCRIPTIONS: Record<string, string> = {
  flow_turn:
    'Call after every answer of the person (speech or keypad). Say exactly the returned message; hang up when end_call is true.',
  log_call_outcome: 'Record how the conversation ended.',
  create_callback: 'The person asked for a human agent to call them back.',
  set_do_not_call: 'The person asked never to be called again.',
  schedule_followup: 'The person asked to be called later.',
};

const WEBHOOK_NAME = 'outdial-post-call';

/**
 * The agent transfers when flow_turn's answer carries `transfer_to`; the destination is the call's
 * dynamic variable (a `phone_dynamic_variable` destination names the variable, without braces),
 * which the dial sets only for campaigns with a transfer number.
 */
const TRANSFER_TOOL: ElevenLabs.SystemToolConfigInput = {
  name: 'transfer_to_number',
  description: 'Transfer the person to a human representative.',
  params: {
    systemToolType: 'transfer_to_number',
    transfers: [
      {
        transferDestination: { type: 'phone_dynamic_variable', phoneNumber: TRANSFER_NUMBER_VARIABLE },
        condition:
          'The flow_turn tool answered with transfer_to: say its message, then transfer at once. ' +
          'Should the transfer fail, say its transfer_failed_message and end the call.',
        transferType: 'conference',
      },
    ],
  },
};
const WEBHOOK_EVENTS: ElevenLabs.WebhookEventType[] = ['transcript', 'call_initiation_failure'];

/** The tool as Outdial wants it; compared field by field with what the workspace has. */
export function desiredTool(name: string, settings: ProvisionSettings): WebhookTool {
  const text = (description: string): ElevenLabs.ObjectJsonSchemaPropertyInputPropertiesValue => ({
    type: 'string',
    description,
  });
  return {
    type: 'webhook',
    name,
    description: DESCRIPTIONS[name] ?? name,
    responseTimeoutSecs: 10,
    apiSchema: {
      url: `${settings.publicBaseUrl.replace(/\/+$/, '')}/api/elevenlabs/tools/${name}`,
      method: 'POST',
      requestHeaders: { 'X-Tool-Secret': settings.toolSecret },
      requestBodySchema: {
        type: 'object',
        required: ['call_id', 'request_id'],
        properties: {
          call_id: { type: 'string', description: 'The call id', dynamicVariable: 'call_id' },
          request_id: text('A new unique id for every call of this tool (repeat it only when retrying)'),
          utterance: text('What the person just said, verbatim'),
          dtmf: text('The keypad digits the person pressed, if any'),
        },
      },
    },
  };
}

/** The fields we own; anything else on the tool (usage stats, ids) is left alone. */
function fingerprint(config: unknown): string {
  const c = (config ?? {}) as { description?: unknown; apiSchema?: Record<string, unknown> };
  const schema = c.apiSchema ?? {};
  return JSON.stringify([
    c.description,
    schema.url,
    schema.method ?? 'GET',
    schema.requestHeaders ?? {},
    schema.requestBodySchema ?? null,
  ]);
}

export async function provisionElevenLabs(settings: ProvisionSettings): Promise<ProvisionReport> {
  const client = new ElevenLabsClient({
    apiKey: settings.apiKey,
    ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
  });
  const changes: string[] = [];
  const toolIds: Record<string, string> = {};

  const existing = await listAllTools(client);
  for (const name of ['flow_turn', ...TOOL_ALLOWLIST]) {
    const desired = desiredTool(name, settings);
    const found = existing.find(
      (tool) => tool.toolConfig.type === 'webhook' && tool.toolConfig.name === name,
    );
    if (!found) {
      const created = await client.conversationalAi.tools.create({ toolConfig: desired });
      toolIds[name] = created.id;
      changes.push(`created tool ${name} (${created.id})`);
    } else {
      toolIds[name] = found.id;
      if (fingerprint(found.toolConfig) !== fingerprint(desired)) {
        await client.conversationalAi.tools.update(found.id, { toolConfig: desired });
        changes.push(`updated tool ${name} (${found.id})`);
      }
    }
  }

  const agent = await client.conversationalAi.agents.get(settings.agentId);
  const current = agent.conversationConfig.agent?.prompt?.toolIds ?? [];
  const missing = Object.values(toolIds).filter((id) => !current.includes(id));
  if (missing.length > 0) {
    await client.conversationalAi.agents.update(settings.agentId, {
      conversationConfig: { agent: { prompt: { toolIds: [...current, ...missing] } } },
    });
    changes.push(`attached ${missing.length} tool(s) to agent ${settings.agentId}`);
  }

  const transfer = agent.conversationConfig.agent?.prompt?.builtInTools?.transferToNumber?.params;
  const transfersTo =
    transfer?.systemToolType === 'transfer_to_number'
      ? transfer.transfers.map((t) => t.transferDestination)
      : [];
  const hasTransfer = transfersTo.some(
    (d) => d.type === 'phone_dynamic_variable' && d.phoneNumber === TRANSFER_NUMBER_VARIABLE,
  );
  if (!hasTransfer) {
    await client.conversationalAi.agents.update(settings.agentId, {
      conversationConfig: { agent: { prompt: { builtInTools: { transferToNumber: TRANSFER_TOOL } } } },
    });
    changes.push(
      `set agent ${settings.agentId}'s transfer_to_number tool to dial the {{${TRANSFER_NUMBER_VARIABLE}}} variable`,
    );
  }

  // ElevenLabs refuses a call whose overrides the agent does not allow; Outdial sends these.
  const allowed = agent.platformSettings?.overrides?.conversationConfigOverride?.agent;
  const prompt = settings.promptOverride === true;
  if (!allowed?.firstMessage || !allowed.language || (prompt && !allowed.prompt?.prompt)) {
    await client.conversationalAi.agents.update(settings.agentId, {
      platformSettings: {
        overrides: {
          conversationConfigOverride: {
            agent: { firstMessage: true, language: true, ...(prompt ? { prompt: { prompt: true } } : {}) },
          },
        },
      },
    });
    changes.push(
      `allowed agent ${settings.agentId}'s per-call overrides: first message, language${prompt ? ', prompt' : ''}`,
    );
  }

  const webhookUrl = `${settings.publicBaseUrl.replace(/\/+$/, '')}/api/elevenlabs/webhook`;
  const { webhooks } = await client.webhooks.list();
  let webhook = webhooks.find((w) => w.name === WEBHOOK_NAME);
  let newWebhookSecret: string | undefined;
  if (webhook && webhook.webhookUrl !== webhookUrl) {
    // The URL of a workspace webhook cannot be patched: replace it.
    await client.webhooks.delete(webhook.webhookId);
    changes.push(`deleted post-call webhook ${webhook.webhookId} (it pointed at ${webhook.webhookUrl})`);
    webhook = undefined;
  }
  let webhookId: string;
  if (!webhook) {
    const created = await client.webhooks.create({
      settings: { authType: 'hmac', name: WEBHOOK_NAME, webhookUrl },
    });
    webhookId = created.webhookId;
    newWebhookSecret = created.webhookSecret;
    changes.push(`created post-call webhook ${webhookId} → ${webhookUrl}`);
  } else {
    webhookId = webhook.webhookId;
    if (webhook.isDisabled) {
      await client.webhooks.update(webhookId, { isDisabled: false, name: WEBHOOK_NAME });
      changes.push(`re-enabled post-call webhook ${webhookId}`);
    }
  }

  const convai = await client.conversationalAi.settings.get();
  const hooks = convai.webhooks ?? {};
  const events = hooks.events ?? [];
  const eventsMatch =
    events.length === WEBHOOK_EVENTS.length && WEBHOOK_EVENTS.every((e) => events.includes(e));
  if (hooks.postCallWebhookId !== webhookId || !eventsMatch) {
    await client.conversationalAi.settings.update({
      webhooks: { ...hooks, postCallWebhookId: webhookId, events: WEBHOOK_EVENTS },
    });
    changes.push(`set workspace post-call webhook to ${webhookId} (events: ${WEBHOOK_EVENTS.join(', ')})`);
  }

  return {
    changes,
    toolIds,
    postCallWebhookId: webhookId,
    ...(newWebhookSecret ? { newWebhookSecret } : {}),
  };
}

async function listAllTools(client: ElevenLabsClient): Promise<ElevenLabs.ToolResponseModel[]> {
  const tools: ElevenLabs.ToolResponseModel[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.conversationalAi.tools.list({
      types: ['webhook'],
      pageSize: 100,
      ...(cursor ? { cursor } : {}),
    });
    tools.push(...page.tools);
    cursor = page.hasMore ? page.nextCursor : undefined;
  } while (cursor);
  return tools;
}
