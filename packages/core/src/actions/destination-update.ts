import { z } from "zod";
import { defineAction } from "../action.ts";
import { refuseNumberClash } from "../fusionpbx/number-clash.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { notFound } from "../errors.ts";
import { APP_UUID, FUSIONPBX_APPS } from "../fusionpbx/apps.ts";
import { destinationCacheKeys, destinationDialplanMode } from "../fusionpbx/cache-keys.ts";
import {
  assertRegenerable,
  claimInboundNumber,
  conditionField,
  destinationActions,
} from "../fusionpbx/destinations.ts";
import {
  type DestinationAction,
  destinationDialplanDetails,
  destinationDialplanXml,
  destinationNumberRegex,
} from "../fusionpbx/dialplan-xml.ts";
import { lockOwnedDialplan, writeOwnedDialplan } from "../fusionpbx/dialplans.ts";
import { flushCacheKeys } from "../fusionpbx/flush.ts";
import { boundedText, dialplanNumber } from "../fusionpbx/numbers.ts";
import { managedDestinationRow } from "../fusionpbx/row-schemas.ts";
import { deleteRows, insertRow, requireRow, type Row, selectRow, updateRows } from "../fusionpbx/rows.ts";
import { getBooleanSetting } from "../fusionpbx/settings.ts";
import { logTransaction } from "../fusionpbx/transaction-log.ts";
import { flagInput, flagOf } from "../fusionpbx/values.ts";
import { phpJsonEncode } from "../legacy/php.ts";

const input = z.object({
  destination_uuid: uuidInput("destination_uuid"),
  /** Optional; a domain-bound caller is always limited to its own domain. */
  domain_uuid: uuidInput("domain_uuid").optional(),
  number: dialplanNumber.optional(),
  /** The new target: the call is transferred to this number in the destination's domain. */
  extension: dialplanNumber.optional(),
  enabled: flagInput.optional(),
  description: boundedText(255).nullable().optional(),
  caller_id_name: boundedText(255).nullable().optional(),
  caller_id_number: dialplanNumber.nullable().optional(),
  order: z.number().int().min(0).max(999).optional(),
});

const output = z.object({ row: managedDestinationRow, applied: z.boolean() });

/**
 * What FusionPBX's destination editor does on save of an existing inbound route: the destination row, its
 * dialplan regenerated (XML and details), one transaction log row, then the dialplan cache keys of the old
 * and the new number deleted on every switch.
 */
export const destinationUpdate = defineAction({
  name: "destination-update",
  path: "destinations.update",
  summary:
    "Changes a destination's number, target, caller id, order or state; regenerates its dialplan and clears its cache.",
  scope: "write",
  domain: {
    by: "row",
    table: "v_destinations",
    key: "destination_uuid",
    uuid: "domain_uuid",
    notFound: "destination not found",
  },
  kind: "mutation",
  input,
  output,
  // 409: a destination using features Switchboard does not regenerate (fusionpbx/destinations.ts).
  legacy: { required: ["destination_uuid"], statuses: [409] },
  async handler(ctx, input, domain) {
    const written = await ctx.sql.begin(async (tx) => {
      const old = await requireRow(
        tx,
        ctx.schema,
        "v_destinations",
        { destination_uuid: input.destination_uuid },
        domain.domain_uuid,
        "destination not found",
        { forUpdate: true },
      );
      const domainUuid = String(old.domain_uuid);
      assertRegenerable(old);

      const number = input.number ?? String(old.destination_number ?? "");
      if (number === "") throw notFound("destination not found");
      if (old.destination_type === "inbound" && number !== old.destination_number) {
        await claimInboundNumber(tx, number, input.destination_uuid);
        await refuseNumberClash(tx, domainUuid, number, { kind: "inbound number", uuid: input.destination_uuid });
      }
      const actions: DestinationAction[] = input.extension
        ? [{ app: "transfer", data: `${input.extension} XML ${domain.domain_name}` }]
        : destinationActions(old);
      const enabled = input.enabled ?? flagOf(old.destination_enabled);
      const order = input.order ?? (old.destination_order === null ? 100 : Number(old.destination_order));
      const description =
        input.description !== undefined ? input.description : (old.destination_description as string | null);
      const prefix = typeof old.destination_prefix === "string" ? old.destination_prefix : null;
      const regex = destinationNumberRegex(number, prefix);
      const context =
        typeof old.destination_context === "string" && old.destination_context !== ""
          ? old.destination_context
          : "public";

      const [row] = await updateRows(
        tx,
        ctx.schema,
        "v_destinations",
        { destination_uuid: input.destination_uuid },
        {
          destination_number: number,
          destination_number_regex: regex,
          destination_caller_id_name: input.caller_id_name,
          destination_caller_id_number: input.caller_id_number,
          destination_actions: phpJsonEncode(
            actions.map((a) => ({ destination_app: a.app, destination_data: a.data })),
          ),
          destination_app: actions[0]?.app ?? null,
          destination_data: actions[0]?.data ?? null,
          destination_alternate_app: actions[1]?.app ?? null,
          destination_alternate_data: actions[1]?.data ?? null,
          destination_order: order,
          destination_enabled: enabled,
          destination_description: description,
        },
      );

      const field = await conditionField(tx, domainUuid, old);
      const owned = await lockOwnedDialplan(tx, ctx.schema, old.dialplan_uuid);
      const oldDialplan = owned.old;
      const dialplanUuid = owned.uuid;
      const dialplanValues = {
        domain_uuid: domainUuid,
        app_uuid: old.destination_type === "local" ? APP_UUID.dialplans : APP_UUID.inboundRoutes,
        dialplan_context: context,
        dialplan_name: number,
        dialplan_number: number,
        dialplan_continue: false,
        dialplan_order: order,
        dialplan_enabled: enabled,
        dialplan_description: description,
        dialplan_xml: destinationDialplanXml({
          name: number,
          dialplanUuid,
          field,
          regex,
          domainUuid,
          domainName: domain.domain_name,
          actions,
        }),
      };
      const dialplan = await writeOwnedDialplan(tx, ctx.schema, owned, dialplanValues);
      if (!oldDialplan) {
        await updateRows(
          tx,
          ctx.schema,
          "v_destinations",
          { destination_uuid: input.destination_uuid },
          { dialplan_uuid: dialplanUuid },
        );
      }
      const oldDetails = await deleteRows(tx, ctx.schema, "v_dialplan_details", { dialplan_uuid: dialplanUuid });
      if (typeof old.dialplan_uuid === "string" && old.dialplan_uuid !== dialplanUuid) {
        // details left behind by a dialplan that no longer exists
        oldDetails.push(
          ...(await deleteRows(tx, ctx.schema, "v_dialplan_details", { dialplan_uuid: old.dialplan_uuid })),
        );
      }
      const details: Row[] = [];
      if (await getBooleanSetting(tx, domainUuid, "destinations", "dialplan_details", true)) {
        for (const detail of destinationDialplanDetails({ field, regex, domainName: domain.domain_name, actions })) {
          details.push(
            await insertRow(tx, ctx.schema, "v_dialplan_details", {
              domain_uuid: domainUuid,
              dialplan_uuid: dialplanUuid,
              dialplan_detail_uuid: crypto.randomUUID(),
              ...detail,
              dialplan_detail_enabled: true,
            }),
          );
        }
      }
      const updated =
        (await selectRow(tx, ctx.schema, "v_destinations", { destination_uuid: input.destination_uuid })) ?? row!;
      await logTransaction(tx, ctx, {
        app: FUSIONPBX_APPS.destinations,
        domainUuid,
        type: "update",
        old: { destinations: [old], dialplans: oldDialplan ? [{ ...oldDialplan, dialplan_details: oldDetails }] : [] },
        new: { destinations: [updated], dialplans: [{ ...dialplan, dialplan_details: details }] },
      });
      const mode = await destinationDialplanMode(tx, domainUuid);
      const cacheKeys = [
        ...destinationCacheKeys(mode, {
          context: old.destination_context as string | null,
          number: old.destination_number as string | null,
          prefix,
        }),
        ...destinationCacheKeys(mode, { context, number, prefix }),
      ];
      return { updated, cacheKeys: [...new Set(cacheKeys)] };
    });
    const applied = await flushCacheKeys(ctx, written.cacheKeys);
    return { row: written.updated, applied } as z.input<typeof output>;
  },
});
