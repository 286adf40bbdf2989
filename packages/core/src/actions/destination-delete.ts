import { z } from "zod";
import { defineAction } from "../action.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { FUSIONPBX_APPS } from "../fusionpbx/apps.ts";
import { destinationCacheKeys, destinationDialplanMode } from "../fusionpbx/cache-keys.ts";
import { deleteOwnedDialplan } from "../fusionpbx/dialplans.ts";
import { flushCacheKeys } from "../fusionpbx/flush.ts";
import { deleteRows, requireRow } from "../fusionpbx/rows.ts";
import { logTransaction } from "../fusionpbx/transaction-log.ts";

const input = z.object({
  destination_uuid: uuidInput("destination_uuid"),
  domain_uuid: uuidInput("domain_uuid").optional(),
});

const output = z.object({ destination_uuid: z.string(), deleted: z.literal(true), applied: z.boolean() });

/**
 * `destinations->delete()`: the destination, its dialplan and the dialplan's details in one transaction, one
 * transaction log row, then `dialplan:<context>` (and, in single mode, the number's own keys) cleared.
 */
export const destinationDelete = defineAction({
  name: "destination-delete",
  path: "destinations.delete",
  summary: "Deletes a destination with its dialplan and clears its dialplan cache.",
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
  legacy: { required: ["destination_uuid"] },
  async handler(ctx, input, domain) {
    const cacheKeys = await ctx.sql.begin(async (tx) => {
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
      const { dialplans, details } = await deleteOwnedDialplan(tx, ctx.schema, old.dialplan_uuid);
      await deleteRows(tx, ctx.schema, "v_destinations", { destination_uuid: input.destination_uuid });
      await logTransaction(tx, ctx, {
        app: FUSIONPBX_APPS.destinations,
        domainUuid,
        type: "delete",
        old: { destinations: [old], dialplans, dialplan_details: details },
        new: {
          destinations: [{ destination_uuid: input.destination_uuid }],
          ...(dialplans.length
            ? {
                dialplan_details: [{ dialplan_uuid: old.dialplan_uuid }],
                dialplans: [{ dialplan_uuid: old.dialplan_uuid }],
              }
            : {}),
        },
      });
      const mode = await destinationDialplanMode(tx, domainUuid);
      return destinationCacheKeys(
        mode,
        {
          context: (old.destination_context as string | null) ?? "public",
          number: old.destination_number as string | null,
          prefix: old.destination_prefix as string | null,
        },
        { includeContext: true },
      );
    });
    const applied = await flushCacheKeys(ctx, cacheKeys);
    return { destination_uuid: input.destination_uuid, deleted: true as const, applied };
  },
});
