import { z } from "zod";
import { defineAction } from "../action.ts";
import { badRequest, notFound } from "../errors.ts";
import { callerMaySee } from "../fusionpbx/domains.ts";
import { legacyBody } from "../fusionpbx/legacy-input.ts";
import { plainText } from "../fusionpbx/numbers.ts";
import { domainRow } from "../fusionpbx/row-schemas.ts";
import { canonicalUuid, pgUuid } from "../fusionpbx/uuid.ts";

const DOMAIN_NOT_FOUND = "domain not found";

/** original-actions.md §6.4: one `v_domains` row by uuid, or else by exact name. */
export const domainDetails = defineAction({
  name: "domain-details",
  path: "domains.details",
  summary: "One domain's v_domains row, by domain_uuid or else by exact domain_name.",
  scope: "read",
  kind: "query",
  input: z.object({
    domain_uuid: pgUuid("domain_uuid").optional(),
    domain_name: plainText("domain_name").optional(),
  }),
  output: domainRow,
  legacy: {
    required: [],
    toInput: (body) => legacyBody(body, { optional: ["domain_uuid", "domain_name"], strings: ["domain_uuid", "domain_name"] }),
    // A malformed uuid made the original's select fail, which it reported as not found.
    onInvalid: () => ({ status: 404, body: { error: DOMAIN_NOT_FOUND } }),
  },
  async handler(ctx, input) {
    let rows: Record<string, unknown>[];
    if (input.domain_uuid) {
      const uuid = canonicalUuid(input.domain_uuid);
      if (!uuid || !callerMaySee(ctx.caller, uuid)) throw notFound(DOMAIN_NOT_FOUND);
      rows = await ctx.sql`select * from v_domains where domain_uuid = ${uuid}`;
    } else if (input.domain_name) {
      const bound = ctx.caller.domainUuid === null ? null : canonicalUuid(ctx.caller.domainUuid);
      rows = bound
        ? await ctx.sql`select * from v_domains where domain_name = ${input.domain_name} and domain_uuid = ${bound}`
        : await ctx.sql`select * from v_domains where domain_name = ${input.domain_name}`;
    } else {
      throw badRequest("missing required parameter domain_uuid or domain_name");
    }
    const row = rows[0];
    if (!row) throw notFound(DOMAIN_NOT_FOUND);
    return row as z.input<typeof domainRow>;
  },
});
