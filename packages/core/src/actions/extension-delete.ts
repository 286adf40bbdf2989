import { z } from "zod";
import { defineAction } from "../action.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { FUSIONPBX_APPS } from "../fusionpbx/apps.ts";
import { directoryCacheKeys } from "../fusionpbx/cache-keys.ts";
import { flushCacheKeys } from "../fusionpbx/flush.ts";
import { deleteRows, requireRow, type Row } from "../fusionpbx/rows.ts";
import { logTransaction } from "../fusionpbx/transaction-log.ts";
import { flagInput } from "../fusionpbx/values.ts";

const input = z.object({
  extension_uuid: uuidInput("extension_uuid"),
  domain_uuid: uuidInput("domain_uuid").optional(),
  /** FusionPBX's "delete voicemail" choice; default true. */
  delete_voicemail: flagInput.default(true),
});

const output = z.object({
  extension_uuid: z.string(),
  deleted: z.literal(true),
  voicemails_deleted: z.number().int(),
  ring_group_destinations_deleted: z.number().int(),
  applied: z.boolean(),
});

/**
 * `extension->delete()` and `voicemail->voicemail_delete()` in one transaction: the extension, its user links,
 * follow-me rows, extension settings, ring group members dialling its number or alias, and (by default) its
 * voicemail boxes with their options, messages, forwarding and greetings rows; one transaction log row per
 * app; then `directory:<extension>@<user_context>` (and the alias) cleared. Recording files on the switch
 * host are not removed (Switchboard does not share that file system).
 */
export const extensionDelete = defineAction({
  name: "extension-delete",
  path: "extensions.delete",
  summary:
    "Deletes an extension the way FusionPBX does (user links, follow-me, ring group members, voicemail box) and clears its directory cache.",
  scope: "write",
  domain: {
    by: "row",
    table: "v_extensions",
    key: "extension_uuid",
    uuid: "domain_uuid",
    notFound: "extension not found",
  },
  kind: "mutation",
  input,
  output,
  legacy: { required: ["extension_uuid"] },
  async handler(ctx, input, domain) {
    const s = ctx.schema;
    const written = await ctx.sql.begin(async (tx) => {
      const old = await requireRow(
        tx,
        s,
        "v_extensions",
        { extension_uuid: input.extension_uuid },
        domain.domain_uuid,
        "extension not found",
        { forUpdate: true },
      );
      const domainUuid = String(old.domain_uuid);
      const extension = String(old.extension ?? "");
      const alias = typeof old.number_alias === "string" && old.number_alias !== "" ? old.number_alias : null;

      const voicemailIds = [extension, alias].filter((id): id is string => id !== null && /^\d+$/.test(id));
      const removedVoicemails: Row[] = [];
      const voicemailChildren: Record<string, Row[]> = {
        v_voicemail_options: [],
        v_voicemail_messages: [],
        v_voicemail_destinations: [],
        v_voicemail_greetings: [],
      };
      const removeChildren = async (table: string, keys: Record<string, string>) => {
        voicemailChildren[table]!.push(...(await deleteRows(tx, s, table, { ...keys, domain_uuid: domainUuid })));
      };
      if (input.delete_voicemail && voicemailIds.length > 0 && s.hasTable("v_voicemails")) {
        const placeholders = voicemailIds.map((_, i) => `$${i + 2}`).join(", ");
        const boxes = (await tx.unsafe(
          `select * from v_voicemails where domain_uuid = $1::uuid and voicemail_id in (${placeholders}) for update`,
          [domainUuid, ...voicemailIds],
        )) as unknown as Row[];
        for (const box of boxes) {
          const id = String(box.voicemail_uuid);
          for (const table of ["v_voicemail_options", "v_voicemail_messages", "v_voicemail_destinations"]) {
            await removeChildren(table, { voicemail_uuid: id });
          }
          await removeChildren("v_voicemail_destinations", { voicemail_uuid_copy: id });
          if (/^\d+$/.test(String(box.voicemail_id))) {
            await removeChildren("v_voicemail_greetings", { voicemail_id: String(box.voicemail_id) });
          }
          removedVoicemails.push(...(await deleteRows(tx, s, "v_voicemails", { voicemail_uuid: id })));
        }
        if (removedVoicemails.length > 0) {
          await logTransaction(tx, ctx, {
            app: FUSIONPBX_APPS.voicemails,
            domainUuid,
            type: "delete",
            old: { voicemails: removedVoicemails, ...voicemailChildren },
            new: {
              voicemails: removedVoicemails.map((v) => ({ voicemail_uuid: v.voicemail_uuid, domain_uuid: domainUuid })),
            },
          });
        }
      }

      const users = await deleteRows(tx, s, "v_extension_users", { extension_uuid: input.extension_uuid });
      let followMe: Row[] = [];
      let followMeDestinations: Row[] = [];
      if (typeof old.follow_me_uuid === "string") {
        followMeDestinations = await deleteRows(tx, s, "v_follow_me_destinations", {
          follow_me_uuid: old.follow_me_uuid,
        });
        followMe = await deleteRows(tx, s, "v_follow_me", { follow_me_uuid: old.follow_me_uuid });
      }
      const ringGroupDestinations = await deleteRows(tx, s, "v_ring_group_destinations", {
        destination_number: extension,
        domain_uuid: domainUuid,
      });
      if (alias && /^\d+$/.test(alias)) {
        ringGroupDestinations.push(
          ...(await deleteRows(tx, s, "v_ring_group_destinations", {
            destination_number: alias,
            domain_uuid: domainUuid,
          })),
        );
      }
      const settings = await deleteRows(tx, s, "v_extension_settings", {
        extension_uuid: input.extension_uuid,
        domain_uuid: domainUuid,
      });
      await deleteRows(tx, s, "v_extensions", { extension_uuid: input.extension_uuid });

      await logTransaction(tx, ctx, {
        app: FUSIONPBX_APPS.extensions,
        domainUuid,
        type: "delete",
        old: {
          extensions: [old],
          extension_users: users,
          follow_me: followMe,
          follow_me_destinations: followMeDestinations,
          ring_group_destinations: ringGroupDestinations,
          extension_settings: settings,
        },
        new: {
          extensions: [{ extension_uuid: input.extension_uuid }],
          extension_users: [{ extension_uuid: input.extension_uuid }],
        },
      });
      return {
        voicemailsDeleted: removedVoicemails.length,
        ringGroupDestinationsDeleted: ringGroupDestinations.length,
        cacheKeys: directoryCacheKeys({
          extension,
          number_alias: alias,
          user_context: old.user_context as string | null,
        }),
      };
    });
    const applied = await flushCacheKeys(ctx, written.cacheKeys);
    return {
      extension_uuid: input.extension_uuid,
      deleted: true as const,
      voicemails_deleted: written.voicemailsDeleted,
      ring_group_destinations_deleted: written.ringGroupDestinationsDeleted,
      applied,
    };
  },
});
