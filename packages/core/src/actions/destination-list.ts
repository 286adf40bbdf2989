import { z } from "zod";
import { defineAction } from "../action.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { DIAL_CHARACTERS } from "../fusionpbx/numbers.ts";
import { managedDestinationRow } from "../fusionpbx/row-schemas.ts";
import type { Row } from "../fusionpbx/rows.ts";
import { textKeyset } from "../lists/keyset.ts";
import { booleanFilter, pageInput, pageOutput, toPage } from "../lists/page.ts";
import { userText } from "../fusionpbx/text.ts";

const input = z.object({
  /** Omitted: the caller's own domain, or every domain for an unbound caller. */
  domain_uuid: uuidInput("domain_uuid").optional(),
  ...pageInput,
  enabled: booleanFilter,
  type: z.enum(["inbound", "outbound", "local"]).optional(),
  /** Numbers starting with this. */
  number_prefix: z.string().regex(DIAL_CHARACTERS).max(64).optional(),
  /** Case-insensitive substring of the number or the description. */
  search: userText(255, "a search").optional(),
});

const output = pageOutput(managedDestinationRow);

export const destinationList = defineAction({
  name: "destination-list",
  path: "destinations.list",
  summary: "Lists a domain's destinations (DIDs) by number, with filters and a cursor.",
  scope: "read",
  domain: { by: "input", uuid: "domain_uuid", whenAbsent: "caller" },
  kind: "query",
  input,
  output,
  legacy: { required: [] },
  async handler(ctx, input, resolved) {
    const sql = ctx.sql;
    const domain = resolved?.domain_uuid ?? null;
    const page = textKeyset(sql, input.cursor, "destination_number", "destination_uuid");
    const enabled = input.enabled === undefined ? null : String(input.enabled);
    const rows = await sql<Row[]>`
      select * from v_destinations
      where (${domain}::uuid is null or domain_uuid = ${domain}::uuid)
        and (${enabled}::text is null or destination_enabled::text = ${enabled}::text)
        and (${input.type ?? null}::text is null or destination_type = ${input.type ?? null}::text)
        and (${input.number_prefix ?? null}::text is null or starts_with(destination_number, ${input.number_prefix ?? null}::text))
        and (${input.search ?? null}::text is null
          or strpos(lower(coalesce(destination_number, '') || ' ' || coalesce(destination_description, '')), lower(${input.search ?? null}::text)) > 0)
        ${page.after}
      ${page.orderBy}
      limit ${input.limit + 1}`;
    return toPage(rows, input.limit, page.sortKey) as z.input<typeof output>;
  },
});
