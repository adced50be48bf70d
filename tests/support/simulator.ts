import { startSimulator, type Simulator } from '../../infra/dev/simulator/server';

/** A simulator for tests that only call its APIs: its webhooks go nowhere. */
export function startApiOnlySimulator(): Promise<Simulator> {
  return startSimulator({
    webhookBaseUrl: 'http://127.0.0.1:9',
    elevenlabsWebhookSecret: 'sim-webhook-secret',
    elevenlabsToolSecret: 'sim-tool-secret',
    ultravoxWebhookSecret: 'sim-ultravox-secret',
    asteriskWebhookToken: 'sim-asterisk-token',
  });
}
