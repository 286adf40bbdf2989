import { createHash } from "node:crypto";

/**
 * A stable event id: the same facts (call uuid and event type, plus a leg, a registration or a message
 * where one call or phone has several) always give the same id, whether the event was seen live or
 * recovered from FusionPBX's rows later, so the log's unique index drops the second copy.
 */
export function eventId(type: string, ...facts: (string | number)[]): string {
  const hash = createHash("sha256");
  hash.update(type);
  for (const fact of facts) hash.update(`\0${String(fact).toLowerCase()}`);
  return `evt_${hash.digest("hex").slice(0, 32)}`;
}
