import { z } from "zod";
import { defineAction } from "../action.ts";
import { refuseNumberClash } from "../fusionpbx/number-clash.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { conflict } from "../errors.ts";
import { APP_UUID, FUSIONPBX_APPS } from "../fusionpbx/apps.ts";
import { contextCacheKeys } from "../fusionpbx/cache-keys.ts";
import { ringGroupDialplanXml } from "../fusionpbx/dialplan-xml.ts";
import { lockOwnedDialplan, writeOwnedDialplan } from "../fusionpbx/dialplans.ts";
import { directoryText } from "../fusionpbx/extension-fields.ts";
import { flushCacheKeys } from "../fusionpbx/flush.ts";
import { LOCK, lockForUniqueness } from "../fusionpbx/locks.ts";
import { boundedText, dialplanNumber } from "../fusionpbx/numbers.ts";
import {
  RING_GROUP_STRATEGIES,
  ringGroupDestinations,
  type RingGroupMember,
  ringGroupMembers,
} from "../fusionpbx/ring-groups.ts";
import { managedRingGroupRow, ringGroupDestinationRow } from "../fusionpbx/row-schemas.ts";
import { deleteRows, insertRow, requireRow, selectRow, updateRows } from "../fusionpbx/rows.ts";
import { getBooleanSetting } from "../fusionpbx/settings.ts";
import { logTransaction } from "../fusionpbx/transaction-log.ts";
import { flagInput, flagOf } from "../fusionpbx/values.ts";

const input = z.object({
  ring_group_uuid: uuidInput("ring_group_uuid"),
  domain_uuid: uuidInput("domain_uuid").optional(),
  name: boundedText(255).min(1).optional(),
  extension: dialplanNumber.optional(),
  strategy: z.enum(RING_GROUP_STRATEGIES).optional(),
  call_timeout: z.number().int().min(0).max(999).optional(),
  enabled: flagInput.optional(),
  description: boundedText(255).nullable().optional(),
  caller_id_name: directoryText(80).nullable().optional(),
  caller_id_number: dialplanNumber.nullable().optional(),
  /** Replaces the members: rows with a number already present keep their uuid, the others are added or removed. */
  destinations: ringGroupMembers.optional(),
});

const output = z.object({
  row: managedRingGroupRow,
  destinations: z.array(ringGroupDestinationRow),
  applied: z.boolean(),
});

function memberValues(m: RingGroupMember): Record<string, string | number | boolean | null | undefined> {
  return {
    destination_number: m.number,
    destination_delay: m.delay,
    destination_timeout: m.timeout,
    destination_prompt: m.prompt ? 1 : null,
    destination_enabled: m.enabled,
    destination_description: m.description,
  };
}

/**
 * The ring group editor's save of an existing group: the group row, its members, its dialplan regenerated
 * (XML from the name and extension), one transaction log row, then `dialplan:<context>` cleared and
 * `reloadxml` on every switch.
 */
export const ringGroupUpdate = defineAction({
  name: "ringgroup-update",
  path: "ringGroups.update",
  summary:
    "Changes a ring group (name, extension, strategy, timeout, caller id, state, members); regenerates its dialplan, clears the cache and reloads XML.",
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
  legacy: { required: ["ring_group_uuid"], statuses: [409] },
  async handler(ctx, input, domain) {
    const s = ctx.schema;
    const written = await ctx.sql.begin(async (tx) => {
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
      const extension = input.extension ?? String(old.ring_group_extension ?? "");
      if (input.extension !== undefined && input.extension !== old.ring_group_extension) {
        await lockForUniqueness(tx, LOCK.ringGroupExtension, `${domainUuid}:${input.extension}`);
        const taken = await tx`select 1 from v_ring_groups where domain_uuid = ${domainUuid}::uuid
          and ring_group_extension = ${input.extension} and ring_group_uuid <> ${input.ring_group_uuid}::uuid limit 1`;
        if (taken.length > 0) throw conflict("ring group already exists");
        await refuseNumberClash(tx, domainUuid, input.extension, { kind: "ring group", uuid: input.ring_group_uuid });
      }
      const name = input.name ?? String(old.ring_group_name ?? "");
      const enabled = input.enabled ?? flagOf(old.ring_group_enabled);
      const description =
        input.description !== undefined ? input.description : (old.ring_group_description as string | null);
      const context =
        typeof old.ring_group_context === "string" && old.ring_group_context !== ""
          ? old.ring_group_context
          : domain.domain_name;

      const oldMembers = await ringGroupDestinations(tx, input.ring_group_uuid);
      if (input.destinations) {
        const unmatched = [...oldMembers];
        for (const member of input.destinations) {
          const index = unmatched.findIndex((r) => r.destination_number === member.number);
          if (index >= 0) {
            const [existing] = unmatched.splice(index, 1);
            await updateRows(
              tx,
              s,
              "v_ring_group_destinations",
              { ring_group_destination_uuid: String(existing!.ring_group_destination_uuid) },
              memberValues(member),
            );
          } else {
            await insertRow(tx, s, "v_ring_group_destinations", {
              ring_group_destination_uuid: crypto.randomUUID(),
              ring_group_uuid: input.ring_group_uuid,
              domain_uuid: domainUuid,
              ...memberValues(member),
            });
          }
        }
        for (const gone of unmatched) {
          await deleteRows(tx, s, "v_ring_group_destinations", {
            ring_group_destination_uuid: String(gone.ring_group_destination_uuid),
          });
        }
      }

      const owned = await lockOwnedDialplan(tx, s, old.dialplan_uuid);
      const oldDialplan = owned.old;
      const dialplanUuid = owned.uuid;
      await updateRows(
        tx,
        s,
        "v_ring_groups",
        { ring_group_uuid: input.ring_group_uuid },
        {
          ring_group_name: name,
          ring_group_extension: extension,
          ring_group_strategy: input.strategy,
          ring_group_call_timeout: input.call_timeout,
          ring_group_enabled: enabled,
          ring_group_description: description,
          ring_group_caller_id_name:
            input.caller_id_name === undefined ? undefined : (input.caller_id_name?.replaceAll(":", "") ?? null),
          ring_group_caller_id_number: input.caller_id_number,
          ring_group_context: context,
          dialplan_uuid: dialplanUuid,
        },
      );
      const dialplanValues = {
        domain_uuid: domainUuid,
        app_uuid: APP_UUID.ringGroups,
        dialplan_name: name,
        dialplan_number: extension,
        dialplan_context: context,
        dialplan_continue: false,
        dialplan_order: 101,
        dialplan_enabled: enabled,
        dialplan_description: description,
        dialplan_xml: ringGroupDialplanXml({
          name,
          extension,
          dialplanUuid,
          ringGroupUuid: input.ring_group_uuid,
          ringReady: await getBooleanSetting(tx, domainUuid, "ring_group", "ring_ready", true),
        }),
      };
      const dialplan = await writeOwnedDialplan(tx, s, owned, dialplanValues);

      const row = (await selectRow(tx, s, "v_ring_groups", { ring_group_uuid: input.ring_group_uuid }))!;
      const members = await ringGroupDestinations(tx, input.ring_group_uuid);
      await logTransaction(tx, ctx, {
        app: FUSIONPBX_APPS.ringGroups,
        domainUuid,
        type: "update",
        old: {
          ring_groups: [{ ...old, ring_group_destinations: oldMembers }],
          dialplans: oldDialplan ? [oldDialplan] : [],
        },
        new: { ring_groups: [{ ...row, ring_group_destinations: members }], dialplans: [dialplan] },
      });
      const oldContext = typeof old.ring_group_context === "string" ? old.ring_group_context : null;
      return { row, members, cacheKeys: [...new Set([...contextCacheKeys(oldContext), ...contextCacheKeys(context)])] };
    });
    const applied = await flushCacheKeys(ctx, written.cacheKeys, { reloadXml: true });
    return { row: written.row, destinations: written.members, applied } as z.input<typeof output>;
  },
});
