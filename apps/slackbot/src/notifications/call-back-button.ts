import type { App, BlockButtonAction } from "@slack/bolt";
import { errorReply } from "../blocks/reply.ts";
import { callCard, outcomeOf } from "../commands/call.ts";
import { buttonJob, type CommandDeps, failureReply, runClaimed } from "../commands/command-kit.ts";
import { parsePhoneNumber } from "../text/phone-number.ts";
import { NOTIFY_CALL_BACK } from "./notification-card.ts";

function numberOf(value: string | undefined): string | null {
  try {
    const parsed = JSON.parse(value ?? "") as { to?: unknown };
    return typeof parsed.to === "string" ? parsePhoneNumber(parsed.to) : null;
  } catch {
    return null;
  }
}

/**
 * The "Call back" button of a missed-call or voicemail card: `/call <caller>` as the person who pressed it —
 * their own linked extension rings first, under the same call policy (core's originate: the `calls`
 * permission, the dial policy, the call limits, the workspace's domain, audited).
 */
export function registerCallBackButton(app: App, deps: CommandDeps) {
  app.action<BlockButtonAction>(NOTIFY_CALL_BACK, async ({ ack, body, action }) => {
    await ack();
    const to = numberOf(action.value);
    const job = buttonJob(deps, body, action, "slack call back (notification button)");
    await runClaimed(deps, {
      ...job,
      async work(request) {
        if (!to) return errorReply("This button is damaged; nobody was called.");
        const from = request.identity.extension;
        if (!from)
          return errorReply(
            "You have no extension linked to you, so you cannot call back yet. A Switchboard admin links yours with /pbx admin ext @you <extension>.",
          );
        const started = await request.calls.calls.originate({
          domain_uuid: request.domainUuid,
          caller_id_number: from,
          ring_first: from,
          connect_to: to,
          mode: "async",
          idempotency_key: job.requestId,
        });
        return callCard(from, to, outcomeOf(started), started.call_uuid ?? null);
      },
      onError: (error) => failureReply(error, undefined, job.requestId),
    });
  });
}
