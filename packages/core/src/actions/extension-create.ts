import { z } from "zod";
import { defineAction } from "../action.ts";
import { ActionError } from "../errors.ts";
import { flushExtension } from "../fusionpbx/flush.ts";
import { generatePassword } from "../fusionpbx/generate-password.ts";
import { issueAt, legacyBody } from "../legacy/legacy-input.ts";
import { LOCK, lockForUniqueness } from "../fusionpbx/locks.ts";
import { callerIdName, callerIdNumber } from "../fusionpbx/extension-fields.ts";
import { dialString } from "../fusionpbx/numbers.ts";
import { extensionRow } from "../fusionpbx/row-schemas.ts";
import { type SaveArray, saveAsOriginal } from "../fusionpbx/save.ts";
import { newUuid, uuidInput } from "../fusionpbx/uuid.ts";
import { saveFailed } from "../fusionpbx/write-errors.ts";

/** The original answered a missing domain with HTTP 500. */
const DOMAIN_NOT_FOUND_REPLY = { status: 500, body: { error: "domain not found" } };

/** The arrays the original's extension-create saves (docs/original-api.md §5.5), keys in its order. */
export function extensionCreateArray(v: {
  domainUuid: string;
  domainName: string;
  extensionUuid: string;
  voicemailUuid: string;
  extension: string;
  callerIdName: string;
  callerIdNumber: string;
  password: string;
  voicemailPassword: string;
}): SaveArray {
  return {
    extensions: [
      {
        domain_uuid: v.domainUuid,
        extension_uuid: v.extensionUuid,
        extension: v.extension,
        password: v.password,
        accountcode: v.domainName,
        effective_caller_id_name: v.callerIdName,
        effective_caller_id_number: v.callerIdNumber,
        outbound_caller_id_name: v.callerIdName,
        outbound_caller_id_number: v.callerIdNumber,
        emergency_caller_id_name: v.callerIdName,
        emergency_caller_id_number: v.callerIdNumber,
        directory_first_name: "",
        directory_last_name: "",
        directory_visible: "true",
        directory_exten_visible: "true",
        max_registrations: "",
        limit_max: "5",
        limit_destination: "!USER_BUSY",
        user_context: v.domainName,
        missed_call_app: "",
        missed_call_data: "",
        toll_allow: "",
        call_timeout: "30",
        call_group: "",
        call_screen_enabled: "false",
        user_record: "",
        hold_music: "",
        auth_acl: "",
        cidr: "",
        sip_force_contact: "",
        sip_force_expires: "",
        mwi_account: "",
        sip_bypass_media: "",
        absolute_codec_string: "",
        force_ping: "",
        dial_string: "",
        enabled: "true",
        description: "",
      },
    ],
    voicemails: [
      {
        domain_uuid: v.domainUuid,
        voicemail_uuid: v.voicemailUuid,
        voicemail_id: v.extension,
        voicemail_password: v.voicemailPassword,
        voicemail_mail_to: "",
        voicemail_file: "attach",
        voicemail_local_after_email: "true",
        voicemail_transcription_enabled: "false",
        voicemail_tutorial: null,
        voicemail_enabled: "true",
        voicemail_description: "",
      },
    ],
  };
}

/**
 * docs/original-api.md §5.5: an extension and its voicemail box, written as the original wrote them, in one transaction with a
 * race-free duplicate check; then the directory cache entry is cleared on every switch.
 */
export const extensionCreate = defineAction({
  name: "extension-create",
  path: "extensions.create",
  summary: "Create an extension (generated SIP password) and its voicemail box (generated PIN) in a domain.",
  scope: "write",
  domain: { by: "input", uuid: "domain_uuid", whenAbsent: "refuse" },
  kind: "mutation",
  input: z.object({
    domain_uuid: uuidInput("domain_uuid"),
    extension: dialString("extension"),
    // The same rules as extension-update's caller id fields.
    caller_id_name: callerIdName.optional(),
    caller_id_number: callerIdNumber.optional(),
  }),
  output: z.object({ row: extensionRow, applied: z.boolean() }),
  legacy: {
    required: ["domain_uuid", "extension"],
    toInput: (body) =>
      legacyBody(body, {
        optional: ["caller_id_name", "caller_id_number"],
        strings: ["domain_uuid", "extension", "caller_id_name", "caller_id_number"],
      }),
    onInvalid: (issues) => (issueAt(issues, "domain_uuid") ? DOMAIN_NOT_FOUND_REPLY : undefined),
    domainNotFound: DOMAIN_NOT_FOUND_REPLY,
    toBody: (output) => (output as { row: unknown }).row,
    // A failed save answered `false` with HTTP 200 (fusionpbx/write-errors.ts).
    body: z.union([extensionRow, z.literal(false)]),
  },
  async handler(ctx, input, domain) {
    const extensionUuid = newUuid();
    let row: z.input<typeof extensionRow>;
    try {
      row = await ctx.sql.begin(async (tx) => {
        await lockForUniqueness(tx, LOCK.extension, `${domain.domain_uuid}:${input.extension}`);
        const existing = await tx`
          select extension_uuid from v_extensions
          where extension = ${input.extension} and domain_uuid = ${domain.domain_uuid}`;
        if (existing.length > 0) throw new ActionError("CONFLICT", "extension already exists", { legacyStatus: 500 });
        const array = extensionCreateArray({
          domainUuid: input.domain_uuid,
          domainName: domain.domain_name,
          extensionUuid,
          voicemailUuid: newUuid(),
          extension: input.extension,
          callerIdName: input.caller_id_name ?? "",
          callerIdNumber: input.caller_id_number ?? "",
          password: generatePassword(10, 4),
          voicemailPassword: generatePassword(8, 1),
        });
        await saveAsOriginal(tx, ctx, array);
        const rows = await tx`select * from v_extensions where extension_uuid = ${extensionUuid}`;
        return rows[0] as z.input<typeof extensionRow>;
      });
    } catch (error) {
      throw saveFailed(error, "extension");
    }
    const applied = await flushExtension(ctx, { extension: input.extension, userContext: domain.domain_name });
    return { row, applied };
  },
});
