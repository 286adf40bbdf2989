import { z } from "zod";
import { defineAction } from "../action.ts";
import { legacyBody } from "../legacy/legacy-input.ts";
import { plainText } from "../fusionpbx/numbers.ts";
import { domainRow } from "../fusionpbx/row-schemas.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";

const DOMAIN_NOT_FOUND = "domain not found";

/** docs/original-api.md §5.4: one `v_domains` row by uuid, or else by exact name. */
export const domainDetails = defineAction({
  name: "domain-details",
  path: "domains.details",
  summary: "One domain's v_domains row, by domain_uuid or else by exact domain_name.",
  scope: "read",
  domain: { by: "input", uuid: "domain_uuid", name: "domain_name", whenAbsent: "refuse" },
  kind: "query",
  input: z.object({
    domain_uuid: uuidInput("domain_uuid").optional(),
    domain_name: plainText("domain_name").optional(),
  }),
  output: domainRow,
  legacy: {
    required: [],
    toInput: (body) =>
      legacyBody(body, { optional: ["domain_uuid", "domain_name"], strings: ["domain_uuid", "domain_name"] }),
    // A malformed uuid made the original's select fail, which it reported as not found.
    onInvalid: () => ({ status: 404, body: { error: DOMAIN_NOT_FOUND } }),
  },
  // The resolver already read the row it found (and checked it is the caller's).
  async handler(_ctx, _input, domain) {
    return domain.row as z.input<typeof domainRow>;
  },
});
