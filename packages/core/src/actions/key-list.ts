import { z } from "zod";
import { defineAction } from "../action.ts";
import { listKeys } from "../auth/keys.ts";
import { keyOutput } from "./key-create.ts";

export const keyList = defineAction({
  name: "key-list",
  path: "keys.list",
  summary: "List API keys with their policies (never their secrets); a domain-bound key sees its domain's keys.",
  scope: "admin",
  domain: { by: "caller" },
  kind: "query",
  input: z.object({}).loose(),
  output: z.array(keyOutput),
  async handler(ctx, _input, domain) {
    return listKeys(ctx.sql, { domainUuid: domain?.domain_uuid ?? null });
  },
});
