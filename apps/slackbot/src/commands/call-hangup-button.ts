import type { App, BlockButtonAction } from "@slack/bolt";
import { errorReply } from "../blocks/reply.ts";
import { CALL_HANGUP, callCard } from "./call.ts";
import { buttonJob, type CommandDeps, failureReply, runClaimed } from "./command-kit.ts";

function parseValue(value: string | undefined): { call_uuid: string; from: string; to: string } | null {
  try {
    const parsed = JSON.parse(value ?? "") as Record<string, unknown>;
    if (typeof parsed.call_uuid === "string" && typeof parsed.from === "string" && typeof parsed.to === "string")
      return { call_uuid: parsed.call_uuid, from: parsed.from, to: parsed.to };
  } catch {}
  return null;
}

/**
 * The Hang up button of the live call card: core's call-hangup as the person who pressed it (the `calls`
 * permission, the workspace's domain, audited), then the card shows the call ended, in place.
 */
export function registerCallHangupButton(app: App, deps: CommandDeps) {
  app.action<BlockButtonAction>(CALL_HANGUP, async ({ ack, body, action }) => {
    await ack();
    const target = parseValue(action.value);
    const job = buttonJob(deps, body, action, "slack /call (hang up button)");
    await runClaimed(deps, {
      ...job,
      async work(request) {
        if (!target) return errorReply("This button is damaged; the call was not hung up.");
        const result = await request.calls.calls.hangup({ call_uuid: target.call_uuid });
        return callCard(
          target.from,
          target.to,
          { state: "ended", cause: result.hung_up ? "hung up from Slack" : "had already ended" },
          target.call_uuid,
        );
      },
      onError: (error) => failureReply(error, undefined, job.requestId),
    });
  });
}
