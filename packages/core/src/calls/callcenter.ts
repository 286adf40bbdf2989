import { SwitchCommandError } from "@switchboard/esl";
import { z } from "zod";
import type { ActionContext } from "../context.ts";
import { ActionError, badRequest, notFound } from "../errors.ts";
import { CALLCENTER_NAME, isSafeContext } from "./dial-values.ts";
import { domainFilter, findDomainByName } from "./domains.ts";
import { onSwitch } from "./switch-errors.ts";
import { type SwitchRow, parsePipeTable } from "./switch-tables.ts";

/** The original's failure body for every callcenter action (original-actions.md §7): HTTP 200, `success: false`. */
const failure = (reason: string) => ({ status: 200, body: { success: false, reason } });

export const queueInput = z.object({
  /** `<extension>@<domain>` as mod_callcenter names FusionPBX queues, or just the extension with `domain_uuid`. */
  queue: z.string().min(1).max(200),
  domain_uuid: z.guid().optional(),
});

/** The full mod_callcenter queue name, checked safe for a command and within the caller's domain. */
export async function resolveQueue(ctx: ActionContext, input: z.output<typeof queueInput>): Promise<string> {
  const at = input.queue.lastIndexOf("@");
  const extension = at < 0 ? input.queue : input.queue.slice(0, at);
  if (!CALLCENTER_NAME.test(extension)) throw badRequest("invalid parameter: queue", { field: "queue" });
  if (at < 0) {
    const domain = await domainFilter(ctx, input.domain_uuid);
    if (!domain) throw badRequest("queue must be <extension>@<domain>, or domain_uuid must be given", { field: "queue" });
    if (!isSafeContext(domain.domain_name)) throw badRequest("this domain's name cannot be used in a queue name", { field: "domain_uuid" });
    return `${extension}@${domain.domain_name}`;
  }
  const domainName = input.queue.slice(at + 1);
  if (!isSafeContext(domainName)) throw badRequest("invalid parameter: queue", { field: "queue" });
  const scoped = ctx.caller.domainUuid !== null || input.domain_uuid !== undefined;
  if (scoped) {
    const domain = await findDomainByName(ctx, domainName);
    if (!domain || (input.domain_uuid !== undefined && domain.domain_uuid !== input.domain_uuid.toLowerCase())) {
      throw notFound("queue not found", { legacyStatus: 200, legacyBody: { success: false, reason: "queue not found" } });
    }
  }
  return input.queue;
}

/** `api callcenter_config …` read as the original's `parse_fs` did, with its failure bodies on the legacy face. */
export async function callcenterTable(ctx: ActionContext, args: string): Promise<SwitchRow[]> {
  const sw = await onSwitch(() => ctx.switches.forCalls(), failure("Failed to connect to event socket"));
  let reply: string;
  try {
    reply = await onSwitch(() => sw.api(`callcenter_config ${args}`), failure("Failed to connect to event socket"));
  } catch (error) {
    if (!(error instanceof SwitchCommandError)) throw error;
    reply = error.reply;
  }
  const table = parsePipeTable(reply);
  if (table.ok) return table.rows;
  const legacy = failure(table.reason);
  if (/command not found/i.test(table.reason)) {
    throw new ActionError("SERVICE_UNAVAILABLE", "mod_callcenter is not running on FreeSWITCH", { legacyStatus: legacy.status, legacyBody: legacy.body });
  }
  throw new ActionError("INTERNAL_SERVER_ERROR", `FreeSWITCH refused: ${table.reason}`, { legacyStatus: legacy.status, legacyBody: legacy.body });
}
