import { z } from "zod";
import { defineAction } from "../action.ts";
import { callerMaySee } from "../fusionpbx/domains.ts";
import { issueAt, legacyBody } from "../fusionpbx/legacy-input.ts";
import { extensionListItem } from "../fusionpbx/row-schemas.ts";
import { canonicalUuid, pgUuid } from "../fusionpbx/uuid.ts";

/** original-actions.md §6.7: every extension of a domain (disabled ones too), in table order. */
export const extensionList = defineAction({
  name: "extension-list",
  path: "extensions.list",
  summary: "Every extension of a domain: extension_uuid, extension, emergency_caller_id_number.",
  scope: "read",
  kind: "query",
  input: z.object({ domain_uuid: pgUuid("domain_uuid") }),
  output: z.array(extensionListItem),
  legacy: {
    required: ["domain_uuid"],
    toInput: (body) => legacyBody(body, { strings: ["domain_uuid"] }),
    // The original's select failed on a malformed uuid and the list came back as `false`.
    onInvalid: (issues) => (issueAt(issues, "domain_uuid") ? { status: 200, body: false } : undefined),
  },
  async handler(ctx, input) {
    const uuid = canonicalUuid(input.domain_uuid);
    // Another domain's extensions are simply not there for a bound caller.
    if (!uuid || !callerMaySee(ctx.caller, uuid)) return [];
    const rows = await ctx.sql<z.input<typeof extensionListItem>[]>`
      select extension_uuid, extension, emergency_caller_id_number
      from v_extensions where v_extensions.domain_uuid = ${uuid}`;
    return [...rows];
  },
});
