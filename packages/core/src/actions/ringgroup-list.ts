import { z } from "zod";
import { defineAction } from "../action.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { DIAL_CHARACTERS } from "../fusionpbx/numbers.ts";
import { managedRingGroupRow } from "../fusionpbx/row-schemas.ts";
import type { Row } from "../fusionpbx/rows.ts";
import { textKeyset } from "../lists/keyset.ts";
import { booleanFilter, pageInput, pageOutput, toPage } from "../lists/page.ts";
import { userText } from "../fusionpbx/text.ts";

const input = z.object({
  /** Omitted: the caller's own domain, or every domain for an unbound caller. */
  domain_uuid: uuidInput("domain_uuid").optional(),
  ...pageInput,
  enabled: booleanFilter,
  /** Extensions starting with this. */
  extension_prefix: z.string().regex(DIAL_CHARACTERS).max(64).optional(),
  /** Case-insensitive substring of the name or the extension. */
  search: userText(255, "a search").optional(),
});

const output = pageOutput(managedRingGroupRow);

export const ringGroupList = defineAction({
  name: "ringgroup-list",
  path: "ringGroups.list",
  summary: "Lists a domain's ring groups by extension, with filters and a cursor.",
  scope: "read",
  domain: { by: "input", uuid: "domain_uuid", whenAbsent: "caller" },
  kind: "query",
  input,
  output,
  legacy: { required: [] },
  async handler(ctx, input, resolved) {
    const sql = ctx.sql;
    const domain = resolved?.domain_uuid ?? null;
    const page = textKeyset(sql, input.cursor, "ring_group_extension", "ring_group_uuid");
    const enabled = input.enabled === undefined ? null : String(input.enabled);
    const rows = await sql<Row[]>`
      select * from v_ring_groups
      where (${domain}::uuid is null or domain_uuid = ${domain}::uuid)
        and (${enabled}::text is null or ring_group_enabled::text = ${enabled}::text)
        and (${input.extension_prefix ?? null}::text is null or starts_with(ring_group_extension, ${input.extension_prefix ?? null}::text))
        and (${input.search ?? null}::text is null
          or strpos(lower(coalesce(ring_group_name, '') || ' ' || coalesce(ring_group_extension, '')), lower(${input.search ?? null}::text)) > 0)
        ${page.after}
      ${page.orderBy}
      limit ${input.limit + 1}`;
    return toPage(rows, input.limit, page.sortKey) as z.input<typeof output>;
  },
});
