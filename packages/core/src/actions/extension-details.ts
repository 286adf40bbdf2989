import { z } from "zod";
import { defineAction } from "../action.ts";
import { notFound } from "../errors.ts";
import { legacyBody } from "../legacy/legacy-input.ts";
import { plainText } from "../fusionpbx/numbers.ts";
import { extensionDetailsRow } from "../fusionpbx/row-schemas.ts";
import { canonicalUuid, uuidInput } from "../fusionpbx/uuid.ts";
import { lastMissingParameter, phpTruthy } from "../legacy/php.ts";
import { missingParameterReply } from "../legacy/run-legacy.ts";

/** The columns the original selects (docs/original-api.md §5.6), in its order; absent ones are skipped. */
export const EXTENSION_DETAIL_COLUMNS = [
  "extension_uuid",
  "extension",
  "number_alias",
  "effective_caller_id_name",
  "effective_caller_id_number",
  "outbound_caller_id_name",
  "outbound_caller_id_number",
  "emergency_caller_id_name",
  "emergency_caller_id_number",
  "directory_first_name",
  "directory_last_name",
  "directory_visible",
  "directory_exten_visible",
  "limit_max",
  "limit_destination",
  "missed_call_app",
  "missed_call_data",
  "user_context",
  "toll_allow",
  "call_timeout",
  "call_group",
  "call_screen_enabled",
  "user_record",
  "hold_music",
  "auth_acl",
  "cidr",
  "sip_force_contact",
  "nibble_account",
  "sip_force_expires",
  "mwi_account",
  "sip_bypass_media",
  "unique_id",
  "dial_string",
  "dial_user",
  "dial_domain",
  "do_not_disturb",
  "forward_all_destination",
  "forward_all_enabled",
  "forward_busy_destination",
  "forward_busy_enabled",
  "forward_no_answer_destination",
  "forward_no_answer_enabled",
  "forward_user_not_registered_destination",
  "forward_user_not_registered_enabled",
  "follow_me_uuid",
  "enabled",
  "description",
  "forward_caller_id_uuid",
  "absolute_codec_string",
  "force_ping",
  "follow_me_enabled",
  "follow_me_destinations",
  "max_registrations",
  "insert_date",
  "insert_user",
  "update_date",
  "update_user",
] as const;

const NOT_FOUND = "extension not found";

/**
 * docs/original-api.md §5.6, working as the original meant it to (a documented difference: the original always answered 404).
 * Within `domain_uuid`, `extension_uuid` names the extension; so does `extension` when it is a uuid,
 * otherwise `extension` is the extension number.
 */
export const extensionDetails = defineAction({
  name: "extension-details",
  path: "extensions.details",
  summary: "One extension of a domain by extension_uuid, or by extension (a uuid or the extension number).",
  scope: "read",
  domain: { by: "input", uuid: "domain_uuid", whenAbsent: "refuse", notFound: NOT_FOUND },
  kind: "query",
  input: z
    .object({
      domain_uuid: uuidInput("domain_uuid"),
      extension_uuid: uuidInput("extension_uuid").optional(),
      extension: plainText("extension", 64).min(1).optional(),
    })
    .refine((v) => v.extension_uuid !== undefined || v.extension !== undefined, {
      error: "extension_uuid or extension is required",
      path: ["extension"],
    }),
  output: extensionDetailsRow,
  legacy: {
    required: [],
    toInput: (body) =>
      legacyBody(body, { optional: ["extension_uuid", "extension"], strings: ["domain_uuid", "extension"] }),
    onInvalid: (_issues, body) => {
      // The original required `domain_uuid` and `extension` and named the last one missing; only when the
      // domain is given does `extension_uuid` stand in for `extension`.
      const missing = lastMissingParameter(["domain_uuid", "extension"], body);
      const extensionGivenByUuid =
        missing === "extension" && phpTruthy(body.domain_uuid) && phpTruthy(body.extension_uuid);
      if (missing && !extensionGivenByUuid) return missingParameterReply(missing);
      return { status: 404, body: { error: NOT_FOUND } };
    },
  },
  async handler(ctx, input, resolved) {
    const domain = resolved.domain_uuid;
    const columns = EXTENSION_DETAIL_COLUMNS.filter((c) => ctx.schema.hasColumn("v_extensions", c));
    const select = columns.map((c) => `v_extensions.${c}`).join(", ");
    const byUuid =
      input.extension_uuid ?? (input.extension && canonicalUuid(input.extension) ? input.extension : undefined);
    const rows = byUuid
      ? await ctx.sql.unsafe(`select ${select} from v_extensions where domain_uuid = $1 and extension_uuid = $2`, [
          domain,
          canonicalUuid(byUuid)!,
        ])
      : await ctx.sql.unsafe(`select ${select} from v_extensions where domain_uuid = $1 and extension = $2`, [
          domain,
          input.extension!,
        ]);
    const row = rows[0];
    if (!row) throw notFound(NOT_FOUND);
    return row as unknown as z.input<typeof extensionDetailsRow>;
  },
});
