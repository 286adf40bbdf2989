import { parseShowJson, showRegistrationsCommand } from "@switchboard/esl";
import { z } from "zod";
import { defineAction } from "../action.ts";
import { switchRow } from "../contracts/pdo.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { askEverySwitch } from "../calls/ask-switches.ts";
import { legacyInvalid, legacyText } from "../legacy/legacy-input.ts";
import { onSwitch } from "../calls/switch-errors.ts";
import { phpTruthy } from "../legacy/php.ts";

/** `registrations` (deleted in 2023, docs/original-api.md §6): the phones registered to FreeSWITCH. */
export const registrations = defineAction({
  name: "registrations",
  path: "registrations.list",
  summary: "Registered SIP devices of a domain (every domain for an unscoped key that names none).",
  scope: "read",
  domain: { by: "input", uuid: "domain_uuid", whenAbsent: "caller" },
  kind: "query",
  input: z.object({ domain_uuid: uuidInput("domain_uuid").optional() }),
  /** Rows of `show registrations`: reg_user, realm, token, url, expires, network_ip, network_port, … as text. */
  output: z.array(switchRow(["expires"])),
  legacy: {
    required: [],
    toInput: (body) => ({ domain_uuid: phpTruthy(body.domain_uuid) ? legacyText(body.domain_uuid) : undefined }),
    onInvalid: (issues) =>
      legacyInvalid(issues, {}, { domain_uuid: { status: 404, body: { error: "domain not found" } } }),
    // The original answered an empty list this way (HTTP 200).
    toBody: (output) => ((output as unknown[]).length > 0 ? output : { error: "No registrations found" }),
    body: z.union([
      z.array(z.record(z.string(), z.string())).min(1),
      z.object({ error: z.literal("No registrations found") }),
    ]),
  },
  async handler(ctx, _input, domain) {
    const replies = await onSwitch(() => askEverySwitch(ctx, showRegistrationsCommand()));
    const rows = replies.flatMap(({ reply }) => parseShowJson(reply));
    if (!domain) return rows;
    // In FusionPBX the SIP realm of a registration is its domain's name.
    const name = domain.domain_name.toLowerCase();
    return rows.filter((row) => row.realm?.toLowerCase() === name);
  },
});
