import { z } from "zod";
import { defineAction } from "../action.ts";
import { notFound } from "../errors.ts";
import { legacyBody } from "../legacy/legacy-input.ts";
import { plainText } from "../fusionpbx/numbers.ts";
import { destinationRow } from "../fusionpbx/row-schemas.ts";
import { phpTruthy } from "../legacy/php.ts";

const NOT_FOUND = "no such destination";

/** PHP `json_decode` of the column text: the decoded value, or null for invalid JSON. */
function decodeActions(text: unknown): unknown {
  if (typeof text !== "string") return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/**
 * docs/original-api.md §5.3: the destination with this number, `destination_actions` decoded. The original searched every
 * domain; a caller bound to a domain only finds its own.
 */
export const destinationDetails = defineAction({
  name: "destination-details",
  path: "destinations.details",
  summary: "The destination routing a number (destination_actions decoded).",
  scope: "read",
  domain: { by: "caller" },
  kind: "query",
  input: z.object({ number: plainText("number", 255).min(1) }),
  output: destinationRow,
  legacy: {
    required: ["number"],
    toInput: (body) => legacyBody(body, { strings: ["number"] }),
    // The original's select failed on such values and it answered "no such destination".
    onInvalid: () => ({ status: 404, body: { error: NOT_FOUND } }),
  },
  async handler(ctx, input, domain) {
    const rows = domain
      ? await ctx.sql`select * from v_destinations where destination_number = ${input.number} and domain_uuid = ${domain.domain_uuid}::uuid`
      : await ctx.sql`select * from v_destinations where destination_number = ${input.number}`;
    // The original's query, unlimited, first row: the same plan gives the same row when a number repeats.
    const row = rows[0] as Record<string, unknown> | undefined;
    if (!row) throw notFound(NOT_FOUND);
    if (phpTruthy(row.destination_actions)) row.destination_actions = decodeActions(row.destination_actions);
    return row as z.input<typeof destinationRow>;
  },
});
