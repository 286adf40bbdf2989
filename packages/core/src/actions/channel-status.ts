import { parseShowJson, showJsonCommand } from "@switchboard/esl";
import { z } from "zod";
import { defineAction } from "../action.ts";
import { switchRow } from "../contracts/pdo.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { askEverySwitch } from "../calls/ask-switches.ts";
import { channelInDomain } from "../calls/channel-domain.ts";
import { legacyText } from "../legacy/legacy-input.ts";
import { onSwitch } from "../calls/switch-errors.ts";
import { notFound } from "../errors.ts";
import { legacyErrorBody, legacySwitchFailureBody } from "../legacy/legacy-contract.ts";

/** The original's reply when the uuid matched no channel (form-POST era: HTTP 200). */
const UUID_NOT_FOUND = { status: 200, body: { error: "UUID not found" } };

/** `status` (deleted in 2023, docs/original-api.md §6): one live channel by uuid. */
export const channelStatus = defineAction({
  name: "status",
  path: "calls.channel",
  summary: "A live channel by uuid, as FreeSWITCH's `show channels` lists it.",
  scope: "read",
  domain: { by: "caller" },
  kind: "query",
  input: z.object({ uuid: uuidInput("uuid") }),
  /** Every column of `show channels` (uuid, direction, created, name, state, cid_num, callstate, …), as text. */
  // `created` is the switch's local time without a zone: typed faces take the time from `created_epoch`.
  output: switchRow(["created", "created_epoch"]).transform((row) => ({ ...row, created: row.created_epoch ?? null })),
  legacy: {
    required: ["uuid"],
    toInput: (body) => ({ uuid: legacyText(body.uuid) }),
    onInvalid: () => ({ status: 400, body: { error: "Invalid UUID" } }),
    // The original answered a missing channel with HTTP 200.
    body: z.union([z.record(z.string(), z.string()), legacyErrorBody]),
  },
  async handler(ctx, input, domain) {
    const replies = await onSwitch(() => askEverySwitch(ctx, showJsonCommand("channels", input.uuid)));
    for (const { reply } of replies) {
      // `like` matches substrings of several columns; only the exact uuid is the channel asked for.
      const channel = parseShowJson(reply).find((row) => row.uuid?.toLowerCase() === input.uuid);
      if (channel && (await channelInDomain(ctx, domain, channel))) return channel;
    }
    throw notFound("UUID not found", { legacyStatus: UUID_NOT_FOUND.status, legacyBody: UUID_NOT_FOUND.body });
  },
});
