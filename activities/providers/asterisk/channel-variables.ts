/** A contact's variable name that may become a channel variable: nothing a dialplan function could parse. */
const SAFE_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Prefix of every channel variable taken from a contact's row. Asterisk treats a variable name with
 * parentheses as a dialplan function (`CALLERID(num)`) and the dialplan reads some plain names
 * (`AUDIOSOCKET_ADDR`, `SIP_TRUNK`): a tenant's column must reach neither.
 */
export const CONTACT_VARIABLE_PREFIX = 'OUTDIAL_VAR_';

/**
 * The contact's variables as ARI channel variables: only names of lower-case letters, digits and
 * underscores (the import's normalised headers), each prefixed; any other name is dropped, and its
 * value reaches the call through the workflow's flow runner, not the channel.
 */
export function contactChannelVariables(variables: Record<string, string>): Record<string, string> {
  const safe: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    if (SAFE_NAME.test(name)) safe[`${CONTACT_VARIABLE_PREFIX}${name}`] = value;
  }
  return safe;
}
