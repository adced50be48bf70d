/**
 * The secrets of every stack started on a developer's machine (`npm start`, tests, benchmarks):
 * known values, so the simulator can sign webhooks and a test can forge them. The environment
 * overrides any of them.
 */
export const LOCAL_SECRETS = {
  ADMIN_TOKEN: 'dev-admin-token-change-me',
  ELEVENLABS_WEBHOOK_SECRET: 'dev-elevenlabs-webhook-secret',
  ELEVENLABS_TOOL_SECRET: 'dev-elevenlabs-tool-secret',
  ULTRAVOX_WEBHOOK_SECRET: 'dev-ultravox-webhook-secret',
  ASTERISK_WEBHOOK_TOKEN: 'dev-asterisk-webhook-token',
  // Fixed, so the history kept in .data stays readable across restarts; its bytes spell
  // `dev-payload-key-never-production`, which production refuses.
  PAYLOAD_KEY_ID: 'dev',
  PAYLOAD_KEYS: 'dev:ZGV2LXBheWxvYWQta2V5LW5ldmVyLXByb2R1Y3Rpb24=',
};
