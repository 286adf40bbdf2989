import { z } from "zod";
import { defineAction } from "../action.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { FUSIONPBX_APPS } from "../fusionpbx/apps.ts";
import { contextCacheKeys } from "../fusionpbx/cache-keys.ts";
import { deleteOwnedDialplan } from "../fusionpbx/dialplans.ts";
import { flushCacheKeys } from "../fusionpbx/flush.ts";
import { deleteRows, requireRow } from "../fusionpbx/rows.ts";
import { logTransaction } from "../fusionpbx/transaction-log.ts";

const input = z.object({
  ring_group_uuid: uuidInput("ring_group_uuid"),
  domain_uuid: uuidInput("domain_uuid").optional(),
});

const output = z.object({ ring_group_uuid: z.string(), deleted: z.literal(true), applied: z.boolean() });

/**
 * `ring_groups->delete()`: the group, its users, its destinations, its dialplan and the dialplan's details in
 * one transaction, one transaction log row, then `dialplan:<context>` cleared and `reloadxml` on every switch.
 */
export const ringGroupDelete = defineAction({
  name: "ringgroup-delete",
  path: "ringGroups.delete",
  summary: "Deletes a ring group with its members, users and dialplan; clears the cache and reloads XML.",
  scope: "write",
  domain: {
    by: "row",
    table: "v_ring_groups",
    key: "ring_group_uuid",
    uuid: "domain_uuid",
    notFound: "ring group not found",
  },
  kind: "mutation",
  input,
  output,
  legacy: { required: ["ring_group_uuid"] },
  async handler(ctx, input, domain) {
    const s = ctx.schema;
    const cacheKeys = await ctx.sql.begin(async (tx) => {
      const old = await requireRow(
        tx,
        s,
        "v_ring_groups",
        { ring_group_uuid: input.ring_group_uuid },
        domain.domain_uuid,
        "ring group not found",
        { forUpdate: true },
      );
      const domainUuid = String(old.domain_uuid);
      const byGroup = { ring_group_uuid: input.ring_group_uuid, domain_uuid: domainUuid };
      const users = await deleteRows(tx, s, "v_ring_group_users", byGroup);
      const members = await deleteRows(tx, s, "v_ring_group_destinations", byGroup);
      const { dialplans, details } = await deleteOwnedDialplan(tx, s, old.dialplan_uuid);
      await deleteRows(tx, s, "v_ring_groups", byGroup);
      await logTransaction(tx, ctx, {
        app: FUSIONPBX_APPS.ringGroups,
        domainUuid,
        type: "delete",
        old: {
          ring_groups: [old],
          ring_group_users: users,
          ring_group_destinations: members,
          dialplans,
          dialplan_details: details,
        },
        new: {
          ring_groups: [byGroup],
          ring_group_users: [byGroup],
          ring_group_destinations: [byGroup],
          ...(typeof old.dialplan_uuid === "string"
            ? {
                dialplans: [{ dialplan_uuid: old.dialplan_uuid }],
                dialplan_details: [{ dialplan_uuid: old.dialplan_uuid }],
              }
            : {}),
        },
      });
      return contextCacheKeys(typeof old.ring_group_context === "string" ? old.ring_group_context : null);
    });
    const applied = await flushCacheKeys(ctx, cacheKeys, { reloadXml: true });
    return { ring_group_uuid: input.ring_group_uuid, deleted: true as const, applied };
  },
});
