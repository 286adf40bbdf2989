import { z } from "zod";
import { defineAction } from "../action.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { createKey } from "../auth/keys.ts";
import { pdoBoolean, pdoTimestamp } from "../contracts/pdo.ts";
import { badRequest } from "../errors.ts";
import { SCOPES } from "../scope.ts";
import { userText } from "../fusionpbx/text.ts";
import { splitList } from "../legacy/legacy-input.ts";

export const keyOutput = z.object({
  key_uuid: z.uuid(),
  name: z.string().nullable(),
  created: pdoTimestamp,
  last_used: pdoTimestamp,
  domain_uuid: z.uuid().nullable(),
  scopes: z.array(z.enum(SCOPES)).nullable(),
  expires_at: pdoTimestamp,
  disabled: pdoBoolean,
});

/** Scopes as a JSON array (the legacy face also takes a comma-separated string, see `splitList`). */
export const scopesInput = z
  .array(z.enum(SCOPES, { error: `scopes are ${SCOPES.join(", ")}` }))
  .min(1, { error: "at least one scope" });

export const keyCreate = defineAction({
  name: "key-create",
  path: "keys.create",
  summary: "Create an API key (stored like FusionPBX's UI does); the secret is shown once.",
  scope: "admin",
  /** The new key's binding: `domain_uuid`, else the creating key's own domain (none for an unbound key). */
  domain: { by: "input", uuid: "domain_uuid", whenAbsent: "caller" },
  kind: "mutation",
  input: z.object({
    name: userText(255, "a key name").trim().min(1, { error: "name is required" }),
    domain_uuid: uuidInput("domain_uuid").optional(),
    scopes: scopesInput.optional(),
    expires_at: z.iso.datetime({ offset: true, error: "expires_at must be an ISO 8601 time" }).optional(),
  }),
  output: keyOutput.extend({ secret: z.string() }),
  legacy: {
    required: ["name"],
    toInput: (body) => ("scopes" in body ? { ...body, scopes: splitList(body.scopes) } : body),
  },
  async handler(ctx, input, domain) {
    const domainUuid = domain?.domain_uuid ?? null;
    if (input.expires_at && Date.parse(input.expires_at) <= ctx.now().getTime()) {
      throw badRequest("expires_at is in the past", { field: "expires_at" });
    }
    const created = await createKey(ctx.sql, {
      name: input.name,
      domainUuid,
      scopes: input.scopes,
      expiresAt: input.expires_at,
    });
    return { ...created.row, secret: created.secret };
  },
});
