import type { Queryable, TransactionSql } from "@switchboard/db";
import { conflict } from "../errors.ts";
import type { DestinationAction } from "./dialplan-xml.ts";
import { LOCK, lockForUniqueness } from "./locks.ts";
import type { Row } from "./rows.ts";
import { getSetting } from "./settings.ts";
import { flagOf } from "./values.ts";

/** The destination's actions: `destination_actions` JSON, else the app/data and alternate columns. */
export function destinationActions(row: Row): DestinationAction[] {
  const text = row.destination_actions;
  if (typeof text === "string" && text.trim() !== "") {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (Array.isArray(parsed)) {
        return parsed
          .filter((a): a is Record<string, unknown> => typeof a === "object" && a !== null)
          .filter((a) => typeof a.destination_app === "string" && a.destination_app !== "")
          .map((a) => ({
            app: String(a.destination_app),
            data: typeof a.destination_data === "string" ? a.destination_data : "",
          }));
      }
    } catch {
      // fall back to the flat columns below
    }
  }
  const actions: DestinationAction[] = [];
  for (const [app, data] of [
    [row.destination_app, row.destination_data],
    [row.destination_alternate_app, row.destination_alternate_data],
  ]) {
    if (typeof app === "string" && app !== "") actions.push({ app, data: typeof data === "string" ? data : "" });
  }
  return actions;
}

/**
 * Features of FusionPBX's destination editor that add lines to the generated dialplan. Switchboard regenerates
 * the plain route (actions, with bridge helpers); a destination using any of these is refused rather than
 * having the feature silently dropped from its dialplan.
 */
const FEATURE_COLUMNS = [
  "fax_uuid",
  "provider_uuid",
  "destination_cid_name_prefix",
  "destination_hold_music",
  "destination_distinctive_ring",
  "destination_ringback",
  "destination_accountcode",
] as const;

export function assertRegenerable(row: Row): void {
  const used: string[] = FEATURE_COLUMNS.filter((c) => row[c] !== null && row[c] !== undefined && row[c] !== "");
  if (flagOf(row.destination_record)) used.push("destination_record");
  const conditions = row.destination_conditions;
  if (
    typeof conditions === "string" &&
    conditions.trim() !== "" &&
    conditions.trim() !== "[]" &&
    conditions.trim() !== "null"
  ) {
    used.push("destination_conditions");
  }
  if (used.length > 0) {
    throw conflict(
      `destination uses features Switchboard does not regenerate (${used.join(", ")}); edit it in FusionPBX`,
    );
  }
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: FreeSWITCH variable names, not JS templates
const CONDITION_FIELDS = new Set(["destination_number", "${sip_to_user}", "${sip_req_user}"]);

/** The condition field: the destination's own, else setting `dialplan.destination`, else `destination_number`. */
export async function conditionField(q: Queryable, domainUuid: string, row: Row): Promise<string> {
  const own = row.destination_condition_field;
  if (typeof own === "string" && CONDITION_FIELDS.has(own)) return own;
  const setting = await getSetting(q, domainUuid, "dialplan", "destination");
  return setting && CONDITION_FIELDS.has(setting) ? setting : "destination_number";
}

/**
 * Serialises writers of one inbound number across processes (the duplicate check and the insert or update
 * then cannot interleave), then refuses a number another inbound destination already routes.
 */
export async function claimInboundNumber(
  tx: TransactionSql,
  number: string,
  exceptDestinationUuid: string | null,
): Promise<void> {
  // the same lock destination-create takes, so a create and an update of one number cannot both win
  await lockForUniqueness(tx, LOCK.destinationNumber, number);
  const taken = await tx<{ destination_uuid: string }[]>`
    select destination_uuid from v_destinations
    where destination_type = 'inbound'
      and (destination_number = ${number} or coalesce(destination_prefix, '') || destination_number = ${number})
      and (${exceptDestinationUuid}::uuid is null or destination_uuid <> ${exceptDestinationUuid}::uuid)
    limit 1`;
  if (taken.length > 0) throw conflict("number already routed", { legacyStatus: 400 });
}
