import { SwitchCommandError, UnsafeCommandValueError, parsePipeTable } from "@switchboard/esl";
import { z } from "zod";
import type { ActionContext } from "../context.ts";
import { ActionError, badRequest, notFound } from "../errors.ts";
import { domainFilter, findDomainByName } from "./domains.ts";
import { onSwitch } from "./switch-errors.ts";

/** The original's failure body for every callcenter action (original-actions.md §7): HTTP 200, `success: false`. */
const failure = (reason: string) => ({ status: 200, body: { success: false, reason } });
const SWITCH_DOWN = failure("Failed to connect to event socket");

export const queueInput = z.object({
  /** `<extension>@<domain>` as mod_callcenter names FusionPBX queues, or just the extension with `domain_uuid`. */
  queue: z.string().min(1).max(200),
  domain_uuid: z.guid().optional(),
});

/** The full mod_callcenter queue name, within the caller's domain (a foreign or unknown domain: not found). */
export async function resolveQueue(ctx: ActionContext, input: z.output<typeof queueInput>): Promise<string> {
  const at = input.queue.indexOf("@");
  if (at < 0) {
    const domain = await domainFilter(ctx, input.domain_uuid);
    if (!domain) throw badRequest("queue must be <extension>@<domain>, or domain_uuid must be given", { field: "queue" });
    return `${input.queue}@${domain.domain_name}`;
  }
  if (ctx.caller.domainUuid !== null || input.domain_uuid !== undefined) {
    const domain = await findDomainByName(ctx, input.queue.slice(at + 1));
    if (!domain || (input.domain_uuid !== undefined && domain.domain_uuid !== input.domain_uuid.toLowerCase())) {
      throw notFound("queue not found", { legacyStatus: 200, legacyBody: { success: false, reason: "queue not found" } });
    }
  }
  return input.queue;
}

/**
 * `api <command>` read as the original's `parse_fs` did: the last line must be `+OK`, else it is the
 * reason of the failure (legacy body `{"success":false,"reason":"<last line>"}`).
 */
export async function callcenterTable(ctx: ActionContext, command: () => string): Promise<Array<Record<string, string>>> {
  let text: string;
  try {
    text = command();
  } catch (error) {
    if (error instanceof UnsafeCommandValueError) throw badRequest(`invalid parameter: ${error.field}`, { field: error.field, cause: error });
    throw error;
  }
  const sw = await onSwitch(() => ctx.switches.forCalls(), SWITCH_DOWN);
  let reply: string;
  try {
    reply = await onSwitch(() => sw.api(text), SWITCH_DOWN);
  } catch (error) {
    if (!(error instanceof SwitchCommandError)) throw error;
    reply = error.reply;
  }
  const status = reply.trim().split("\n").pop()?.replace(/\r$/, "") ?? "";
  if (status === "+OK") return parsePipeTable(reply);
  const legacy = failure(status);
  if (/command not found/i.test(status)) {
    throw new ActionError("SERVICE_UNAVAILABLE", "mod_callcenter is not running on FreeSWITCH", { legacyStatus: legacy.status, legacyBody: legacy.body });
  }
  throw new ActionError("INTERNAL_SERVER_ERROR", `FreeSWITCH refused: ${status}`, { legacyStatus: legacy.status, legacyBody: legacy.body });
}
