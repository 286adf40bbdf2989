import { z } from "zod";
import { defineAction } from "../action.ts";
import { conflict, forbidden } from "../errors.ts";
import { FUSIONPBX_APPS } from "../fusionpbx/apps.ts";
import { domainNameInput } from "../fusionpbx/domain-name.ts";
import { flushAllCaches } from "../fusionpbx/flush.ts";
import { LOCK, lockForUniqueness } from "../fusionpbx/locks.ts";
import { domainRow } from "../fusionpbx/row-schemas.ts";
import { insertRow } from "../fusionpbx/rows.ts";
import { userText } from "../fusionpbx/text.ts";
import { logTransaction } from "../fusionpbx/transaction-log.ts";
import { newUuid } from "../fusionpbx/uuid.ts";
import { flagInput } from "../fusionpbx/values.ts";
import { saveFailed } from "../fusionpbx/write-errors.ts";

export const BOUND_KEY_CANNOT_CREATE =
  "a key bound to a domain cannot create domains; use an admin key that is bound to no domain";

/**
 * FusionPBX's domain page, "add" (docs/fusionpbx-writes.md §9): the name lower-cased, refused when a domain
 * of that name exists (compared lower-cased), one `v_domains` row and its transaction log row in one
 * transaction, then the whole cache cleared on every switch. The default dialplans FusionPBX imports from
 * its template files on the web server are not written here (see §9).
 */
export const domainCreate = defineAction({
  name: "domain-create",
  path: "domains.create",
  summary: "Creates a domain (its v_domains row, as FusionPBX's domain page writes it); admin keys bound to no domain.",
  scope: "admin",
  domain: { by: "caller" },
  kind: "mutation",
  input: z.object({
    domain_name: domainNameInput,
    enabled: flagInput.default(true),
    description: userText(255, "a description").optional(),
  }),
  output: z.object({ row: domainRow, applied: z.boolean() }),
  legacy: { required: ["domain_name"], statuses: [409] },
  async handler(ctx, input) {
    if (ctx.caller.domainUuid !== null) throw forbidden(BOUND_KEY_CANNOT_CREATE);
    let row: z.input<typeof domainRow>;
    try {
      row = await ctx.sql.begin(async (tx) => {
        await lockForUniqueness(tx, LOCK.domainName, input.domain_name);
        const [existing] = await tx`select 1 from v_domains where lower(domain_name) = ${input.domain_name}`;
        if (existing) {
          throw conflict(`a domain named ${input.domain_name} already exists`, { field: "domain_name" });
        }
        const created = await insertRow(tx, ctx.schema, "v_domains", {
          domain_uuid: newUuid(),
          domain_name: input.domain_name,
          domain_enabled: input.enabled,
          domain_description: input.description,
        });
        await logTransaction(tx, ctx, {
          app: FUSIONPBX_APPS.domains,
          domainUuid: String(created.domain_uuid),
          type: "add",
          new: { domains: [created] },
        });
        return created as z.input<typeof domainRow>;
      });
    } catch (error) {
      throw saveFailed(error, "domain");
    }
    const applied = await flushAllCaches(ctx);
    return { row, applied };
  },
});
