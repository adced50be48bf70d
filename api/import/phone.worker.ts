import { parentPort } from 'node:worker_threads';
import { normalizePhone } from '../../domain/phone';
import { encodePhoneResult, type PhoneBatch, type PhoneBatchReply } from './phone-batch';

// Runs in a worker thread (see phone-prefetch.ts): one reply per batch, in order.
parentPort?.on('message', ({ id, country, values }: PhoneBatch) => {
  const reply: PhoneBatchReply = {
    id,
    results: values.map((v) => encodePhoneResult(normalizePhone(v, country))),
  };
  parentPort?.postMessage(reply);
});
