import { z } from "zod";
import { defineAction } from "../action.ts";
import { badRequest } from "../errors.ts";
import { FUSIONPBX_APPS } from "../fusionpbx/apps.ts";
import { domainNameInput } from "../fusionpbx/domain-name.ts";
import { flushAllCaches } from "../fusionpbx/flush.ts";
import { domainRow } from "../fusionpbx/row-schemas.ts";
import { requireRow, updateRows } from "../fusionpbx/rows.ts";
import { userText } from "../fusionpbx/text.ts";
import { logTransaction } from "../fusionpbx/transaction-log.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { flagInput } from "../fusionpbx/values.ts";

export const RENAME_REFUSED =
  "domain_name and domain_uuid name different domains. Renaming a domain is not supported: FusionPBX rewrites the name in dialplans, extensions, destinations, recordings and folders on the switch; rename it on FusionPBX's domain page";

const NOTHING_TO_CHANGE = "nothing to change: give enabled or description";

/**
 * FusionPBX's domain page, "update" (docs/fusionpbx-writes.md §9): the domain's enabled flag and description,
 * one transaction log row, then the whole cache cleared on every switch. A domain admin may edit their own
 * domain, as in FusionPBX. The domain is named by `domain_uuid` or `domain_name` (both: they must agree);
 * the name itself is never changed here (see `RENAME_REFUSED`).
 */
export const domainUpdate = defineAction({
  name: "domain-update",
  path: "domains.update",
  summary: "Enables or disables a domain or changes its description; clears the switch caches.",
  scope: "admin",
  domain: { by: "input", uuid: "domain_uuid", name: "domain_name", whenAbsent: "refuse" },
  kind: "mutation",
  input: z.object({
    domain_uuid: uuidInput("domain_uuid").optional(),
    /** The domain by name, instead of (or agreeing with) `domain_uuid`; renaming is refused. */
    domain_name: domainNameInput.optional(),
    enabled: flagInput.optional(),
    /** Empty text clears the description. */
    description: userText(255, "a description").optional(),
  }),
  output: z.object({ row: domainRow, applied: z.boolean() }),
  legacy: { required: [] },
  async handler(ctx, input, domain) {
    if (input.domain_name !== undefined && input.domain_name !== domain.domain_name.toLowerCase()) {
      throw badRequest(RENAME_REFUSED);
    }
    if (input.enabled === undefined && input.description === undefined) {
      throw badRequest(NOTHING_TO_CHANGE);
    }
    const row = await ctx.sql.begin(async (tx) => {
      const old = await requireRow(
        tx,
        ctx.schema,
        "v_domains",
        { domain_uuid: domain.domain_uuid },
        null,
        "domain not found",
        { forUpdate: true },
      );
      const [updated] = await updateRows(
        tx,
        ctx.schema,
        "v_domains",
        { domain_uuid: domain.domain_uuid },
        { domain_enabled: input.enabled, domain_description: input.description },
      );
      await logTransaction(tx, ctx, {
        app: FUSIONPBX_APPS.domains,
        domainUuid: domain.domain_uuid,
        type: "update",
        old: { domains: [old] },
        new: { domains: [updated] },
      });
      return updated as z.input<typeof domainRow>;
    });
    const applied = await flushAllCaches(ctx);
    return { row, applied };
  },
});
