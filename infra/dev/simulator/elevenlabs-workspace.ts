import { randomId, unixSeconds, type SimContext } from './calls';
import { asRecord, asString, type RouteRequest, type RouteResult } from './routing';

/** The workspace objects provisioning manages: tools, agents, the post-call webhook, ConvAI settings. */
interface Workspace {
  tools: Map<string, Record<string, unknown>>;
  agents: Map<string, Record<string, unknown>>;
  webhooks: Map<string, Record<string, unknown>>;
  settings: Record<string, unknown>;
}

const workspaces = new WeakMap<SimContext, Workspace>();

function workspaceOf(ctx: SimContext): Workspace {
  let ws = workspaces.get(ctx);
  if (!ws) {
    ws = { tools: new Map(), agents: new Map(), webhooks: new Map(), settings: { webhooks: {} } };
    workspaces.set(ctx, ws);
  }
  return ws;
}

const ACCESS_INFO = {
  is_creator: true,
  creator_name: 'Simulator',
  creator_email: 'sim@example.com',
  role: 'admin',
};
const notFound = (what: string): RouteResult => ({
  status: 404,
  body: { detail: { status: `${what}_not_found`, message: `${what} not found` } },
});

function toolBody(id: string, toolConfig: unknown) {
  return { id, tool_config: toolConfig, access_info: ACCESS_INFO, usage_stats: { avg_latency_secs: 0 } };
}

/** Any agent id exists, as on a workspace where the agent was made in the dashboard. */
function agentOf(ws: Workspace, agentId: string): Record<string, unknown> {
  let agent = ws.agents.get(agentId);
  if (!agent) {
    const now = unixSeconds(Date.now());
    agent = {
      agent_id: agentId,
      name: 'Outdial agent',
      conversation_config: {
        agent: { first_message: 'Merhaba', language: 'tr', prompt: { prompt: '', tool_ids: [] } },
      },
      metadata: { created_at_unix_secs: now, updated_at_unix_secs: now },
    };
    ws.agents.set(agentId, agent);
  }
  return agent;
}

/** PATCH semantics of the real API: nested objects merge, arrays and scalars replace. */
function merge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    out[key] =
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      current !== null &&
      typeof current === 'object' &&
      !Array.isArray(current)
        ? merge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

export function handleElevenLabsWorkspace(ctx: SimContext, request: RouteRequest): RouteResult | undefined {
  const ws = workspaceOf(ctx);
  const { method, path } = request;
  const body = asRecord(request.body);

  if (path === '/v1/convai/tools' && method === 'GET') {
    const types = request.query.getAll('types');
    const tools = [...ws.tools.entries()]
      .filter(([, config]) => types.length === 0 || types.includes(String(config.type)))
      .map(([id, config]) => toolBody(id, config));
    return { status: 200, body: { tools, has_more: false } };
  }
  if (path === '/v1/convai/tools' && method === 'POST') {
    const config = asRecord(body.tool_config);
    if (!asString(config.name))
      return {
        status: 422,
        body: { detail: [{ loc: ['body', 'tool_config', 'name'], msg: 'Field required' }] },
      };
    const id = randomId('tool_');
    ws.tools.set(id, config);
    return { status: 200, body: toolBody(id, config) };
  }
  const tool = /^\/v1\/convai\/tools\/([^/]+)$/.exec(path);
  if (tool) {
    const id = decodeURIComponent(tool[1]!);
    const config = ws.tools.get(id);
    if (!config) return notFound('tool');
    if (method === 'GET') return { status: 200, body: toolBody(id, config) };
    if (method === 'PATCH') {
      ws.tools.set(id, asRecord(body.tool_config));
      return { status: 200, body: toolBody(id, ws.tools.get(id)) };
    }
  }
  const agent = /^\/v1\/convai\/agents\/([^/]+)$/.exec(path);
  if (agent) {
    const id = decodeURIComponent(agent[1]!);
    if (method === 'GET') return { status: 200, body: agentOf(ws, id) };
    if (method === 'PATCH') {
      const updated = merge(agentOf(ws, id), {
        ...body,
        metadata: { updated_at_unix_secs: unixSeconds(Date.now()) },
      });
      ws.agents.set(id, updated);
      return { status: 200, body: updated };
    }
  }
  if (path === '/v1/convai/settings') {
    if (method === 'PATCH') ws.settings = merge(ws.settings, body);
    if (method === 'GET' || method === 'PATCH') return { status: 200, body: ws.settings };
  }
  if (path === '/v1/workspace/webhooks' && method === 'GET') {
    return { status: 200, body: { webhooks: [...ws.webhooks.values()] } };
  }
  if (path === '/v1/workspace/webhooks' && method === 'POST') {
    const settings = asRecord(body.settings);
    const id = randomId('wh_');
    ws.webhooks.set(id, {
      name: asString(settings.name) ?? 'webhook',
      webhook_id: id,
      webhook_url: asString(settings.webhook_url) ?? '',
      is_disabled: false,
      is_auto_disabled: false,
      created_at_unix: unixSeconds(Date.now()),
      auth_type: 'hmac',
    });
    return { status: 200, body: { webhook_id: id, webhook_secret: ctx.settings.elevenlabsWebhookSecret } };
  }
  const webhook = /^\/v1\/workspace\/webhooks\/([^/]+)$/.exec(path);
  if (webhook) {
    const id = decodeURIComponent(webhook[1]!);
    const stored = ws.webhooks.get(id);
    if (!stored) return notFound('webhook');
    if (method === 'DELETE') {
      ws.webhooks.delete(id);
      return { status: 200, body: { status: 'ok' } };
    }
    if (method === 'PATCH') {
      ws.webhooks.set(id, {
        ...stored,
        is_disabled: body.is_disabled === true,
        name: asString(body.name) ?? stored.name,
      });
      return { status: 200, body: { status: 'ok' } };
    }
  }
  return undefined;
}
