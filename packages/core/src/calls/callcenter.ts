import { callcenterCommands, SwitchCommandError, UnsafeCommandValueError, parsePipeTable } from "@switchboard/esl";
import { z } from "zod";
import { uuidInput } from "../fusionpbx/uuid.ts";
import type { ActionContext } from "../context.ts";
import { ActionError, badRequest } from "../errors.ts";
import type { DomainRef, DomainRule } from "../tenancy/domain-rule.ts";
import { onSwitch } from "./switch-errors.ts";

/** The original's failure body for every callcenter action (docs/original-api.md §6): HTTP 200, `success: false`. */
const failure = (reason: string) => ({ status: 200, body: { success: false, reason } });
const SWITCH_DOWN = failure("Failed to connect to event socket");

/** What `callcenterCommands` will accept as a queue name (the domain part filled in when absent). */
function sendableQueue(queue: string): boolean {
  try {
    callcenterCommands.queueListMembers(queue.includes("@") ? queue : `${queue}@example.com`);
    return true;
  } catch {
    return false;
  }
}

export const queueInput = z.object({
  /** `<extension>@<domain>` as mod_callcenter names FusionPBX queues, or just the extension with `domain_uuid`. */
  queue: z
    .string()
    .min(1)
    .max(200)
    .refine(sendableQueue, { error: "queue must be <extension>@<domain>, or an extension" }),
  domain_uuid: uuidInput("domain_uuid").optional(),
});

/** The domain part of `<extension>@<domain>`, when the queue is named that way. */
function queueDomainName(input: Record<string, unknown>): string | undefined {
  const queue = typeof input.queue === "string" ? input.queue : "";
  const at = queue.indexOf("@");
  return at < 0 ? undefined : queue.slice(at + 1);
}

/** A queue's domain: `domain_uuid`, else the `@domain` of its name (both given: they must agree). */
export const QUEUE_DOMAIN = {
  by: "input",
  uuid: "domain_uuid",
  nameOf: queueDomainName,
  whenAbsent: "caller",
  notFound: "queue not found",
} as const satisfies DomainRule;

/** The original's answer for a queue it could not find (HTTP 200, `success: false`). */
export const QUEUE_NOT_FOUND_REPLY = { status: 200, body: { success: false, reason: "queue not found" } };

/** The full mod_callcenter queue name in the resolved domain (`null`: an unbound caller who named none). */
export function queueName(input: z.output<typeof queueInput>, domain: DomainRef | null): string {
  if (input.queue.includes("@")) return input.queue;
  if (!domain) throw badRequest("queue must be <extension>@<domain>, or domain_uuid must be given", { field: "queue" });
  return `${input.queue}@${domain.domain_name}`;
}

/**
 * `api <command>` read as the original's `parse_fs` did: the last line must be `+OK`, else it is the
 * reason of the failure (legacy body `{"success":false,"reason":"<last line>"}`).
 */
export async function callcenterTable(
  ctx: ActionContext,
  command: () => string,
): Promise<Array<Record<string, string>>> {
  let text: string;
  try {
    text = command();
  } catch (error) {
    if (error instanceof UnsafeCommandValueError)
      throw badRequest(`invalid parameter: ${error.field}`, { field: error.field, cause: error });
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
    throw new ActionError("SERVICE_UNAVAILABLE", "mod_callcenter is not running on FreeSWITCH", {
      legacyStatus: legacy.status,
      legacyBody: legacy.body,
    });
  }
  throw new ActionError("INTERNAL_SERVER_ERROR", `FreeSWITCH refused: ${status}`, {
    legacyStatus: legacy.status,
    legacyBody: legacy.body,
  });
}
