import { SwitchUnavailableError } from "@switchboard/esl";
import type { ActionContext } from "../context.ts";

export interface SwitchReply {
  switch: string;
  reply: string;
}

/**
 * The same read-only `api` command on every switch of the install (a channel or a registration lives on
 * one of them). Unreachable switches are skipped; if none answered, SwitchUnavailableError. Command
 * refusals (`-ERR …`) are thrown as they come.
 */
export async function askEverySwitch(ctx: ActionContext, command: string): Promise<SwitchReply[]> {
  const switches = ctx.switches.switches;
  if (switches.length === 0) throw new SwitchUnavailableError("none", "no FreeSWITCH configured");
  const settled = await Promise.allSettled(
    switches.map(async (sw) => ({ switch: sw.name, reply: await sw.api(command) })),
  );
  const replies: SwitchReply[] = [];
  let lastDown: unknown;
  for (const result of settled) {
    if (result.status === "fulfilled") replies.push(result.value);
    else if (result.reason instanceof SwitchUnavailableError) lastDown = result.reason;
    else throw result.reason;
  }
  if (replies.length === 0) throw lastDown ?? new SwitchUnavailableError("none", "no FreeSWITCH answered");
  return replies;
}
