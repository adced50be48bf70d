import { tokenMatches } from '../signature';

/**
 * The dialplan's curl webhooks carry `X-Webhook-Token: <ASTERISK_WEBHOOK_TOKEN>`. With no token
 * configured every webhook is refused: an open endpoint would let anyone end calls as voicemail.
 */
export function verifyAsteriskToken(header: string | undefined, token: string | undefined): boolean {
  return tokenMatches(header, token);
}
