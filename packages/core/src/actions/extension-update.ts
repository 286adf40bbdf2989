import { z } from "zod";
import { defineAction } from "../action.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { FUSIONPBX_APPS } from "../fusionpbx/apps.ts";
import { directoryCacheKeys } from "../fusionpbx/cache-keys.ts";
import { callerIdName, callerIdNumber, directoryText, sipPassword, tollAllow } from "../fusionpbx/extension-fields.ts";
import { flushCacheKeys } from "../fusionpbx/flush.ts";
import { generatePassword } from "../fusionpbx/generate-password.ts";
import { boundedText, DIAL_STRING } from "../fusionpbx/numbers.ts";
import { managedExtensionRow } from "../fusionpbx/row-schemas.ts";
import { type ColumnValue, insertRow, requireRow, type Row, updateRows } from "../fusionpbx/rows.ts";
import { logTransaction } from "../fusionpbx/transaction-log.ts";
import { ActionError } from "../errors.ts";
import { flagInput } from "../fusionpbx/values.ts";

const input = z.object({
  extension_uuid: uuidInput("extension_uuid"),
  domain_uuid: uuidInput("domain_uuid").optional(),
  effective_caller_id_name: callerIdName.nullable().optional(),
  effective_caller_id_number: callerIdNumber.nullable().optional(),
  outbound_caller_id_name: callerIdName.nullable().optional(),
  outbound_caller_id_number: callerIdNumber.nullable().optional(),
  emergency_caller_id_name: callerIdName.nullable().optional(),
  emergency_caller_id_number: callerIdNumber.nullable().optional(),
  directory_first_name: directoryText(80).nullable().optional(),
  directory_last_name: directoryText(80).nullable().optional(),
  directory_visible: flagInput.optional(),
  directory_exten_visible: flagInput.optional(),
  call_timeout: z.number().int().min(1).max(999).optional(),
  limit_max: z.number().int().min(0).max(9999).optional(),
  call_group: z
    .string()
    .regex(/^[A-Za-z0-9_,-]*$/)
    .max(255)
    .nullable()
    .optional(),
  toll_allow: tollAllow.nullable().optional(),
  user_record: z.enum(["all", "local", "inbound", "outbound", ""]).nullable().optional(),
  do_not_disturb: flagInput.optional(),
  /** Forward every call (FusionPBX's Call Forward page: "forward all"); the destination is a number to dial. */
  forward_all_enabled: flagInput.optional(),
  forward_all_destination: z
    .string()
    .regex(DIAL_STRING, { error: "a forwarding number may hold only digits, +, * and # (1 to 64 characters)" })
    .nullable()
    .optional(),
  enabled: flagInput.optional(),
  description: boundedText(255).nullable().optional(),
  /** A new SIP password (never echoed back). */
  password: sipPassword.optional(),
  voicemail_password: z
    .string()
    .regex(/^\d{4,16}$/, { error: "4-16 digits" })
    .optional(),
  voicemail_mail_to: z.email().max(255).nullable().optional(),
  voicemail_enabled: flagInput.optional(),
});

const output = z.object({ row: managedExtensionRow, applied: z.boolean() });

const EXTENSION_COLUMNS = [
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
  "call_timeout",
  "limit_max",
  "call_group",
  "toll_allow",
  "user_record",
  "do_not_disturb",
  "forward_all_enabled",
  "forward_all_destination",
  "enabled",
  "description",
  "password",
] as const;

/** The row without the SIP password, which an update never returns. */
function withoutPassword(row: Row): Row {
  const { password: _secret, ...rest } = row;
  return rest;
}

/**
 * The extension editor's save of an existing extension: the extension row, its voicemail box (description
 * follows the extension's, as in FusionPBX; PIN, e-mail and state when given), one transaction log row, then
 * `directory:<extension>@<user_context>` (and the number alias) cleared on every switch. The number itself
 * is not renamed here: FusionPBX then silently creates a second mailbox, so rename = delete + create.
 */
export const extensionUpdate = defineAction({
  name: "extension-update",
  path: "extensions.update",
  summary:
    "Changes an extension's caller ids, directory entry, limits, state, do-not-disturb, call forwarding, SIP password or voicemail settings; clears its directory cache.",
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
    const written = await ctx.sql.begin(async (tx) => {
      const old = await requireRow(
        tx,
        ctx.schema,
        "v_extensions",
        { extension_uuid: input.extension_uuid },
        domain.domain_uuid,
        "extension not found",
        { forUpdate: true },
      );
      const domainUuid = String(old.domain_uuid);
      const forwardTo =
        input.forward_all_destination === undefined ? old.forward_all_destination : input.forward_all_destination;
      if (input.forward_all_enabled === true && !forwardTo)
        throw new ActionError("BAD_REQUEST", "forwarding needs a number to forward to", {
          field: "forward_all_destination",
        });

      const values: Record<string, ColumnValue> = {};
      for (const column of EXTENSION_COLUMNS) values[column] = input[column];
      const [updated] = await updateRows(
        tx,
        ctx.schema,
        "v_extensions",
        { extension_uuid: input.extension_uuid },
        values,
      );

      const alias = typeof old.number_alias === "string" && old.number_alias !== "" ? old.number_alias : null;
      const voicemailId = alias ?? String(old.extension);
      const voicemailValues: Record<string, ColumnValue> = {
        voicemail_password: input.voicemail_password,
        voicemail_mail_to: input.voicemail_mail_to,
        voicemail_enabled: input.voicemail_enabled,
        voicemail_description: input.description,
      };
      const mailbox = (await tx.unsafe(
        "select * from v_voicemails where domain_uuid = $1::uuid and voicemail_id = $2 for update",
        [domainUuid, voicemailId],
      )) as unknown as Row[];
      const voicemails: Row[] = [];
      const touchesVoicemail = Object.values(voicemailValues).some((v) => v !== undefined);
      if (mailbox[0] && touchesVoicemail) {
        voicemails.push(
          ...(await updateRows(
            tx,
            ctx.schema,
            "v_voicemails",
            { voicemail_uuid: String(mailbox[0].voicemail_uuid) },
            voicemailValues,
          )),
        );
      } else if (
        !mailbox[0] &&
        (input.voicemail_password || input.voicemail_mail_to || input.voicemail_enabled !== undefined)
      ) {
        voicemails.push(
          await insertRow(tx, ctx.schema, "v_voicemails", {
            domain_uuid: domainUuid,
            voicemail_uuid: crypto.randomUUID(),
            voicemail_id: voicemailId,
            voicemail_password: input.voicemail_password ?? generatePassword(8, 1),
            voicemail_mail_to: input.voicemail_mail_to,
            voicemail_file: "attach",
            voicemail_local_after_email: true,
            voicemail_transcription_enabled: false,
            voicemail_tutorial: true,
            voicemail_enabled: input.voicemail_enabled ?? true,
            voicemail_description: input.description ?? (old.description as string | null),
          }),
        );
      }

      await logTransaction(tx, ctx, {
        app: FUSIONPBX_APPS.extensions,
        domainUuid,
        type: "update",
        old: { extensions: [old], ...(mailbox[0] ? { voicemails: [mailbox[0]] } : {}) },
        new: { extensions: [updated], ...(voicemails.length ? { voicemails } : {}) },
      });
      return {
        row: updated!,
        cacheKeys: directoryCacheKeys({
          extension: old.extension as string | null,
          number_alias: alias,
          user_context: old.user_context as string | null,
        }),
      };
    });
    const applied = await flushCacheKeys(ctx, written.cacheKeys);
    return { row: withoutPassword(written.row), applied } as z.input<typeof output>;
  },
});
