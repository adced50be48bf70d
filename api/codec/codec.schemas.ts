import { z } from 'zod';

/** A payload as proto3 JSON: every metadata value and the data in base64. */
const JsonPayload = z.object({
  metadata: z.record(z.string(), z.base64()).nullish(),
  data: z.base64().nullish(),
});

/** The Temporal codec server protocol's body, the same both ways. */
export const CodecBody = z.object({ payloads: z.array(JsonPayload) });
export type CodecBody = z.infer<typeof CodecBody>;
