const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our call ids are UUIDs; anything else in a webhook (an Asterisk uniqueid) is not one of ours. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
