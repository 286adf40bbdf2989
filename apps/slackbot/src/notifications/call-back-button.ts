import type { App, BlockButtonAction } from "@slack/bolt";
import { errorReply } from "../blocks/reply.ts";
import { callCard, outcomeOf } from "../commands/call.ts";
import { type CommandDeps, failureReply, runClaimed } from "../commands/command-kit.ts";
import { responseUrlPoster } from "../runtime/response-url.ts";
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
    const teamId = body.team?.id ?? body.user.team_id ?? "";
    const requestId = `slack-${body.trigger_id || crypto.randomUUID()}`;
    const to = numberOf(action.value);
    await runClaimed(deps, {
      requestKey: `${teamId}:${body.trigger_id || action.action_ts}`,
      teamId,
      userId: body.user.id,
      requestId,
      needsDomain: true,
      audit: (outcome, errorCode = null, domainUuid = null) =>
        deps.runner.auditCommand({
          teamId,
          userId: body.user.id,
          domainUuid,
          command: "slack call back (notification button)",
          outcome,
          errorCode,
          requestId,
        }),
      respond: responseUrlPoster(body.response_url),
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
          idempotency_key: requestId,
        });
        return callCard(from, to, outcomeOf(started), started.call_uuid ?? null);
      },
      onError: (error) => failureReply(error, undefined, requestId),
    });
  });
}
