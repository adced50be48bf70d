import type { Request } from 'express';

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

/**
 * A JSON webhook body's text as it came, to store as is rather than serialize the parsed body again
 * (a post-call transcript can run to hundreds of kilobytes). Undefined unless it came as UTF-8, the
 * charset the providers send; without the byte-order mark a JSON parser skips and Postgres refuses.
 */
export function receivedJsonText(req: Request & { rawBody?: Buffer }): string | undefined {
  if (!req.rawBody) return undefined;
  const charset = CHARSET.exec(req.header('content-type') ?? '')?.[1]?.toLowerCase() ?? 'utf-8';
  if (charset !== 'utf-8' && charset !== 'utf8') return undefined;
  const text = req.rawBody.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
