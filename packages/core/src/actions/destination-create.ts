import { z } from "zod";
import { defineAction } from "../action.ts";
import { refuseNumberClash } from "../fusionpbx/number-clash.ts";
import { ActionError } from "../errors.ts";
import { APP_UUID } from "../fusionpbx/apps.ts";
import { exactNumberRegex, inboundDestinationXml } from "../fusionpbx/dialplan-xml.ts";
import { flushDestination } from "../fusionpbx/flush.ts";
import { issueAt, legacyBody } from "../legacy/legacy-input.ts";
import { LOCK, lockForUniqueness } from "../fusionpbx/locks.ts";
import { dialString } from "../fusionpbx/numbers.ts";
import { destinationRow } from "../fusionpbx/row-schemas.ts";
import { type SaveArray, saveAsOriginal } from "../fusionpbx/save.ts";
import { newUuid, uuidInput } from "../fusionpbx/uuid.ts";
import { saveFailed } from "../fusionpbx/write-errors.ts";
import { phpJsonEncode } from "../legacy/php.ts";

/** The original answered a missing domain with HTTP 400. */
const DOMAIN_NOT_FOUND_REPLY = { status: 400, body: { error: "domain not found" } };

/** The arrays the original's destination-create saves (docs/original-api.md §5.2), keys in its order. */
export function destinationCreateArray(v: {
  domainUuid: string;
  domainName: string;
  destinationUuid: string;
  dialplanUuid: string;
  number: string;
  extension: string;
}): SaveArray {
  const transferData = `${v.extension} XML ${v.domainName}`;
  const regex = exactNumberRegex(v.number);
  return {
    destinations: [
      {
        dialplan_uuid: v.dialplanUuid,
        domain_uuid: v.domainUuid,
        destination_uuid: v.destinationUuid,
        fax_uuid: "",
        user_uuid: "",
        group_uuid: "",
        destination_type: "inbound",
        destination_number: v.number,
        destination_number_regex: regex,
        destination_prefix: "",
        destination_caller_id_name: "",
        destination_caller_id_number: v.number,
        destination_cid_name_prefix: "",
        destination_context: "public",
        destination_hold_music: "",
        destination_distinctive_ring: "",
        destination_record: "",
        destination_accountcode: "",
        destination_type_voice: null,
        destination_type_fax: null,
        destination_type_text: null,
        destination_type_emergency: null,
        destination_conditions: "",
        destination_actions: phpJsonEncode([{ destination_app: "transfer", destination_data: transferData }]),
        destination_order: "100",
        destination_enabled: "true",
        destination_description: "",
      },
    ],
    dialplans: [
      {
        app_uuid: APP_UUID.inboundRoutes,
        dialplan_uuid: v.dialplanUuid,
        domain_uuid: v.domainUuid,
        dialplan_name: v.number,
        dialplan_number: v.number,
        dialplan_context: "public",
        dialplan_continue: "false",
        dialplan_order: "100",
        dialplan_enabled: "true",
        dialplan_description: "",
        dialplan_xml: inboundDestinationXml({
          number: v.number,
          dialplanUuid: v.dialplanUuid,
          domainUuid: v.domainUuid,
          domainName: v.domainName,
          transferData,
        }),
        dialplan_details: [
          {
            domain_uuid: v.domainUuid,
            dialplan_uuid: v.dialplanUuid,
            dialplan_detail_tag: "condition",
            dialplan_detail_type: "destination_number",
            dialplan_detail_data: regex,
            dialplan_detail_order: 20,
          },
          {
            domain_uuid: v.domainUuid,
            dialplan_uuid: v.dialplanUuid,
            dialplan_detail_tag: "action",
            dialplan_detail_type: "transfer",
            dialplan_detail_data: transferData,
            dialplan_detail_order: 40,
          },
        ],
      },
    ],
  };
}

/**
 * docs/original-api.md §5.2: an inbound route (destination, dialplan, two dialplan details) transferring `number` to `extension`
 * in the domain. Numbers are unique across every domain, checked under a lock so two concurrent creates
 * give one row; then the public dialplan cache is cleared on every switch.
 */
export const destinationCreate = defineAction({
  name: "destination-create",
  path: "destinations.create",
  summary: "Route an inbound number to an extension of a domain (destination + dialplan, as the original wrote them).",
  scope: "write",
  domain: { by: "input", uuid: "domain_uuid", whenAbsent: "refuse" },
  kind: "mutation",
  input: z.object({
    domain_uuid: uuidInput("domain_uuid"),
    number: dialString("number"),
    extension: dialString("extension"),
  }),
  output: z.object({ row: destinationRow, applied: z.boolean() }),
  legacy: {
    required: ["domain_uuid", "number", "extension"],
    toInput: (body) => legacyBody(body, { strings: ["domain_uuid", "number", "extension"] }),
    onInvalid: (issues) => (issueAt(issues, "domain_uuid") ? DOMAIN_NOT_FOUND_REPLY : undefined),
    domainNotFound: DOMAIN_NOT_FOUND_REPLY,
    toBody: (output) => (output as { row: unknown }).row,
    // A failed save answered `false` with HTTP 200 (fusionpbx/write-errors.ts).
    body: z.union([destinationRow, z.literal(false)]),
  },
  async handler(ctx, input, domain) {
    const destinationUuid = newUuid();
    let row: z.input<typeof destinationRow>;
    try {
      row = await ctx.sql.begin(async (tx) => {
        await lockForUniqueness(tx, LOCK.destinationNumber, input.number);
        const routed =
          await tx`select destination_uuid from v_destinations where destination_number = ${input.number} limit 1`;
        if (routed.length > 0) throw new ActionError("CONFLICT", "number already routed", { legacyStatus: 400 });
        await refuseNumberClash(tx, input.domain_uuid, input.number, { kind: "inbound number", uuid: null });
        const array = destinationCreateArray({
          domainUuid: input.domain_uuid,
          domainName: domain.domain_name,
          destinationUuid,
          dialplanUuid: newUuid(),
          number: input.number,
          extension: input.extension,
        });
        await saveAsOriginal(tx, ctx, array);
        const rows = await tx`select * from v_destinations where destination_uuid = ${destinationUuid}`;
        return rows[0] as z.input<typeof destinationRow>;
      });
    } catch (error) {
      throw saveFailed(error, "destination");
    }
    const applied = await flushDestination(ctx, {
      domainUuid: domain.domain_uuid,
      context: "public",
      number: input.number,
    });
    return { row, applied };
  },
});
