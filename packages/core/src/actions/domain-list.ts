import { z } from "zod";
import { defineAction } from "../action.ts";
import { domainRow } from "../fusionpbx/row-schemas.ts";
import type { Row } from "../fusionpbx/rows.ts";
import { textKeyset } from "../lists/keyset.ts";
import { booleanFilter, pageInput, pageOutput, toPage } from "../lists/page.ts";
import { userText } from "../fusionpbx/text.ts";

const output = pageOutput(domainRow);

const input = z.object({
  ...pageInput,
  enabled: booleanFilter,
  /** Case-insensitive substring of the domain name. */
  search: userText(255, "a search").optional(),
});

/** Domains by name; a caller bound to a domain sees only its own. */
export const domainList = defineAction({
  name: "domain-list",
  path: "domains.list",
  summary: "Lists domains by name (a domain-bound key sees only its own), with a cursor.",
  scope: "read",
  domain: { by: "caller" },
  kind: "query",
  input,
  output,
  legacy: { required: [] },
  async handler(ctx, input, domain) {
    const sql = ctx.sql;
    const bound = domain?.domain_uuid ?? null;
    const page = textKeyset(sql, input.cursor, "domain_name", "domain_uuid");
    const rows = await sql<Row[]>`
      select * from v_domains
      where (${bound}::uuid is null or domain_uuid = ${bound}::uuid)
        and (${input.enabled ?? null}::boolean is null or domain_enabled::text = (${input.enabled ?? null}::boolean)::text)
        and (${input.search ?? null}::text is null or strpos(lower(domain_name), lower(${input.search ?? null}::text)) > 0)
        ${page.after}
      ${page.orderBy}
      limit ${input.limit + 1}`;
    return toPage(rows, input.limit, page.sortKey) as z.input<typeof output>;
  },
});
