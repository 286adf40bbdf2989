import { parseShowJson, showJsonCommand } from "@switchboard/esl";
import { z } from "zod";
import { defineAction } from "../action.ts";
import { askEverySwitch } from "../calls/ask-switches.ts";
import { channelInDomain } from "../calls/channel-domain.ts";
import { onSwitch } from "../calls/switch-errors.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";

/** The live calls of a domain: every switch's `show channels`, each channel the domain's (see channelInDomain). */
export const channelList = defineAction({
  name: "channel-list",
  path: "calls.live",
  summary: "Live channels of a domain on every FreeSWITCH (every domain for an unbound key that names none).",
  scope: "read",
  domain: { by: "input", uuid: "domain_uuid", whenAbsent: "caller" },
  kind: "query",
  input: z.object({ domain_uuid: uuidInput("domain_uuid").optional() }),
  /** Rows of `show channels` (uuid, direction, created, name, state, cid_num, dest, callstate, …) as text. */
  output: z.array(z.record(z.string(), z.string())),
  async handler(ctx, _input, domain) {
    const replies = await onSwitch(() => askEverySwitch(ctx, showJsonCommand("channels")));
    const live: Record<string, string>[] = [];
    for (const { reply } of replies) {
      for (const channel of parseShowJson(reply)) if (await channelInDomain(ctx, domain, channel)) live.push(channel);
    }
    return live;
  },
});
