import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';

/** A payload of a fetched history (raw, as the server keeps it) read through the client's codec. */
export async function readPayload<T>(client: Client, payload: Payload): Promise<T> {
  const { payloadCodecs, payloadConverter } = client.options.loadedDataConverter;
  let payloads = [payload];
  for (const codec of [...payloadCodecs].reverse()) payloads = await codec.decode(payloads);
  return payloadConverter.fromPayload<T>(payloads[0]!);
}
