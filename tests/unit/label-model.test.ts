import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLabelModel, parseLabel } from '../../activities/label-model';
import type { Simulator } from '../../infra/dev/simulator/server';
import { startApiOnlySimulator } from '../support/simulator';

describe('LLM_LABEL_ONLY label model (OpenAI chat completions) against the simulator', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startApiOnlySimulator();
  });
  afterAll(async () => sim?.close());
  beforeEach(() => {
    delete sim.labelModel.fault;
  });

  const model = (timeoutMs = 2000) =>
    createLabelModel({ baseUrl: `${sim.url}/`, apiKey: 'sk-test', model: 'label-model-1', timeoutMs });

  it('labels a paraphrase the keywords miss, sending the question, the answer and the key', async () => {
    const before = sim.requests.length;
    const result = await model().label('Hallederim, merak etmeyin', 'tr', 'Ödemenizi yapabilecek misiniz?');
    expect(result).toEqual({ ok: true, label: 'YES' });

    const sent = sim.requests.slice(before).find((r) => r.path === '/v1/chat/completions');
    expect(sent?.headers.authorization).toBe('Bearer sk-test');
    const body = sent?.body as { model: string; messages: { role: string; content: string }[] };
    expect(body.model).toBe('label-model-1');
    expect(body.messages[0]).toMatchObject({ role: 'system' });
    expect(body.messages[1]!.content).toBe(
      'Language: Turkish\nQuestion: Ödemenizi yapabilecek misiniz?\nAnswer: Hallederim, merak etmeyin',
    );
  });

  it('passes on UNKNOWN as an answer (chooseLabel lets keywords decide it)', async () => {
    expect(await model().label('hava çok güzel', 'tr')).toEqual({ ok: true, label: 'UNKNOWN' });
  });

  it('is no answer when the model fails, times out or answers something that is not a label', async () => {
    sim.labelModel.fault = 'error';
    expect(await model().label('hallederim', 'tr')).toEqual({ ok: false });

    sim.labelModel.fault = 'not_a_label';
    expect(await model().label('hallederim', 'tr')).toEqual({ ok: false });

    sim.labelModel.fault = 'timeout';
    const started = Date.now();
    expect(await model(200).label('hallederim', 'tr')).toEqual({ ok: false });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('is no answer when nothing listens at the URL', async () => {
    const unreachable = createLabelModel({ baseUrl: 'http://127.0.0.1:9', model: 'm', timeoutMs: 500 });
    expect(await unreachable.label('evet', 'tr')).toEqual({ ok: false });
  });
});

describe('parseLabel', () => {
  const reply = (content: unknown) => ({ choices: [{ message: { role: 'assistant', content } }] });

  it('reads the first label word of the first choice, in any case', () => {
    expect(parseLabel(reply('DONT_CALL'))).toEqual({ ok: true, label: 'DONT_CALL' });
    expect(parseLabel(reply(' ask_agent.\n'))).toEqual({ ok: true, label: 'ASK_AGENT' });
    expect(parseLabel(reply('Label: LATER'))).toEqual({ ok: true, label: 'LATER' });
  });

  it('refuses anything else', () => {
    for (const body of [
      reply('maybe'),
      reply('YESTERDAY'),
      reply(42),
      { choices: [] },
      { error: { message: 'rate limited' } },
      null,
      'YES',
    ]) {
      expect(parseLabel(body)).toEqual({ ok: false });
    }
  });
});
