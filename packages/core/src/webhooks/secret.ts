import { randomBytes } from "node:crypto";

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64 (the spec allows 24 to 64). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}
