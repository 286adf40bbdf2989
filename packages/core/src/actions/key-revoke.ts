import { z } from "zod";
import { defineAction } from "../action.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { revokeKey } from "../auth/keys.ts";
import { notFound } from "../errors.ts";

export const keyRevoke = defineAction({
  name: "key-revoke",
  path: "keys.revoke",
  summary: "Revoke (delete) an API key, as FusionPBX's delete button does; it stops working at once.",
  scope: "admin",
  domain: { by: "caller" },
  kind: "mutation",
  input: z.object({
    key_uuid: uuidInput("key_uuid"),
  }),
  output: z.object({ key_uuid: z.uuid(), revoked: z.literal(true) }),
  legacy: { required: ["key_uuid"] },
  async handler(ctx, input, domain) {
    const revoked = await revokeKey(ctx.sql, input.key_uuid, { domainUuid: domain?.domain_uuid ?? null });
    if (!revoked) throw notFound("key not found");
    return { key_uuid: input.key_uuid, revoked: true as const };
  },
});
