import { z } from "zod";
import { defineAction } from "../action.ts";
import { pdoBoolean } from "../contracts/pdo.ts";
import { issueAt, legacyBody } from "../legacy/legacy-input.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { textKeyset } from "../lists/keyset.ts";
import { booleanFilter, DEFAULT_LIMIT, MAX_LIMIT, toPage } from "../lists/page.ts";
import { userText } from "../fusionpbx/text.ts";

/** The three columns the original returns, in its order. */
const LEGACY_COLUMNS = ["extension_uuid", "extension", "emergency_caller_id_number"] as const;

const listedExtension = z.object({
  extension_uuid: z.string(),
  extension: z.string().nullable(),
  emergency_caller_id_number: z.string().nullable(),
  effective_caller_id_name: z.string().nullable(),
  effective_caller_id_number: z.string().nullable(),
  description: z.string().nullable(),
  enabled: pdoBoolean,
});

/**
 * docs/original-api.md §5.7: a domain's extensions. The legacy face keeps the original exactly: every extension (disabled ones
 * too), in table order, three columns. Typed faces page it (cursor, limit 100 by default, at most 1000) in
 * extension order, with a prefix search and an enabled filter, and also get the caller id and description.
 */
export const extensionList = defineAction({
  name: "extension-list",
  path: "extensions.list",
  summary: "A domain's extensions (legacy: all of them, three columns; typed: paged with filters).",
  scope: "read",
  domain: { by: "input", uuid: "domain_uuid", whenAbsent: "refuse" },
  kind: "query",
  input: z.object({
    domain_uuid: uuidInput("domain_uuid"),
    cursor: z.string().min(1).max(2000).optional(),
    /** `"all"`: the original's unpaged list in table order (what the legacy route asks for). */
    limit: z.union([z.literal("all"), z.number().int().min(1).max(MAX_LIMIT)]).default(DEFAULT_LIMIT),
    search: userText(64, "a search").optional(),
    enabled: booleanFilter,
  }),
  output: z.object({ items: z.array(listedExtension), nextCursor: z.string().nullable() }),
  legacy: {
    required: ["domain_uuid"],
    // The original took nothing but domain_uuid: any paging or filter a script sends is ignored, as it was.
    toInput: (body) => ({ ...(legacyBody(body, { strings: ["domain_uuid"] }) as object), limit: "all" }),
    // The original's select failed on a malformed uuid and the list came back as `false`.
    onInvalid: (issues) => (issueAt(issues, "domain_uuid") ? { status: 200, body: false } : undefined),
    // The original selected the domain's extensions: none for a domain that does not exist.
    domainNotFound: { status: 200, body: [] },
    body: z.union([
      z.array(
        z.object({
          extension_uuid: z.string(),
          extension: z.string().nullable(),
          emergency_caller_id_number: z.string().nullable(),
        }),
      ),
      z.literal(false),
    ]),
    params: z.object({ domain_uuid: z.string().describe("the domain's uuid; the original took no other parameter") }),
    toBody: (output) =>
      (output as { items: Record<string, unknown>[] }).items.map((row) =>
        Object.fromEntries(LEGACY_COLUMNS.map((c) => [c, row[c]])),
      ),
  },
  async handler(ctx, input, domain) {
    const uuid = domain.domain_uuid;
    const sql = ctx.sql;
    const columns = sql`extension_uuid, extension, emergency_caller_id_number, effective_caller_id_name,
      effective_caller_id_number, description, enabled`;
    type Listed = z.input<typeof listedExtension>;
    if (input.limit === "all") {
      const rows = await sql<Listed[]>`select ${columns} from v_extensions where v_extensions.domain_uuid = ${uuid}`;
      return { items: [...rows], nextCursor: null };
    }
    const keyset = textKeyset(sql, input.cursor, "extension", "extension_uuid");
    const rows = await sql<Listed[]>`
      select ${columns} from v_extensions
      where domain_uuid = ${uuid}
        ${input.search ? sql`and extension like ${`${input.search.replace(/[\\%_]/g, "\\$&")}%`}` : sql``}
        ${input.enabled === undefined ? sql`` : sql`and coalesce(enabled::text, 'false') = ${String(input.enabled)}`}
        ${keyset.after}
      ${keyset.orderBy}
      limit ${input.limit + 1}`;
    return toPage([...rows], input.limit, keyset.sortKey);
  },
});
