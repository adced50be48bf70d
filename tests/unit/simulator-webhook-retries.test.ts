import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Recorder } from '../../infra/dev/simulator/recorder';
import { WebhookSender, type OutgoingWebhook } from '../../infra/dev/simulator/webhook-sender';
import { WebhookTargets } from '../../infra/dev/simulator/webhook-targets';

/** Answers 503 to the first `failures` posts, 200 after; counts every post. */
function flakyEndpoint(failures: number) {
  const received: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push(`${req.headers['content-type']} ${body}`);
      res.writeHead(received.length <= failures ? 503 : 200).end('{}');
    });
  });
  return { server, received };
}

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );

describe("the simulator's webhook retries", () => {
  const endpoint = flakyEndpoint(2);
  let url: string;
  beforeAll(async () => {
    url = await listen(endpoint.server);
  });
  afterAll(() => endpoint.server.close());

  const sender = new WebhookSender({
    recorder: new Recorder(),
    logger: () => undefined,
    retries: {
      elevenlabs: { delaysMs: [], retryServerErrors: false },
      ultravox: { delaysMs: [1, 1], retryServerErrors: false },
      asterisk: { delaysMs: [1, 2, 4, 8], retryServerErrors: true },
    },
  });
  const webhook = (provider: OutgoingWebhook['provider']): OutgoingWebhook => ({
    provider,
    event: 'call-failed',
    url,
    body: 'uuid=x&status=BUSY&cause=17',
    contentType: 'application/x-www-form-urlencoded',
    headers: {},
    callId: undefined,
    providerCallId: 'p',
  });

  it("tries a 5xx again as the dialplan's subroutine does, until it is answered", async () => {
    endpoint.received.length = 0;
    expect(await sender.send(webhook('asterisk'))).toEqual({ status: 200, body: '{}' });
    expect(endpoint.received).toEqual(
      Array(3).fill('application/x-www-form-urlencoded uuid=x&status=BUSY&cause=17'),
    );
  });

  it('does not try a 5xx again for a provider that retries only failed connections', async () => {
    const flaky = flakyEndpoint(1);
    const flakyUrl = await listen(flaky.server);
    try {
      expect(await sender.send({ ...webhook('ultravox'), url: flakyUrl })).toEqual({
        status: 503,
        body: '{}',
      });
      expect(flaky.received).toHaveLength(1);
    } finally {
      flaky.server.close();
    }
  });
});

describe('webhooks spread over several API processes', () => {
  const first = flakyEndpoint(0);
  const second = flakyEndpoint(0);
  let urls: string[];
  beforeAll(async () => {
    urls = [await listen(first.server), await listen(second.server)];
  });
  afterAll(() => {
    first.server.close();
    second.server.close();
  });

  const sending = (targets: WebhookTargets) =>
    new WebhookSender({
      recorder: new Recorder(),
      logger: () => undefined,
      spread: (url) => targets.spread(url),
      retries: {
        elevenlabs: { delaysMs: [], retryServerErrors: false },
        ultravox: { delaysMs: [1], retryServerErrors: false },
        asterisk: { delaysMs: [1, 2], retryServerErrors: true },
      },
    });
  const webhook = (base: string): OutgoingWebhook => ({
    provider: 'asterisk',
    event: 'amd-result',
    url: `${base}/api/v1/webhooks/amd-result`,
    body: 'x=1',
    headers: {},
    callId: undefined,
    providerCallId: 'p',
  });

  it('sends one target every webhook, its own URL, by default', () => {
    const route = new WebhookTargets('http://127.0.0.1:3000/').spread('http://127.0.0.1:3000/api/x');
    expect([route(1), route(2)]).toEqual(['http://127.0.0.1:3000/api/x', 'http://127.0.0.1:3000/api/x']);
  });

  it('sends each attempt to the next target, so a retry reaches another API', async () => {
    const targets = new WebhookTargets(urls);
    const sender = sending(targets);
    first.received.length = 0;
    second.received.length = 0;
    for (let i = 0; i < 4; i++) await sender.send(webhook(urls[0]!));
    expect([first.received.length, second.received.length]).toEqual([2, 2]);

    // A dead API in the list: whichever of them a webhook starts on, its retry reaches the live one.
    const dead = 'http://127.0.0.1:9';
    targets.set([dead, urls[1]!]);
    for (let i = 0; i < 2; i++) expect(await sender.send(webhook(dead))).toEqual({ status: 200, body: '{}' });
    expect(second.received).toHaveLength(4);
  });
});
