import type { App, BlockButtonAction } from "@slack/bolt";
import { errorReply, plainReply } from "../blocks/reply.ts";
import { responseUrlPoster } from "../runtime/response-url.ts";
import { buttonJob, type CommandDeps, failureReply, runClaimed, sendReply } from "./command-kit.ts";
import { EXT_DELETE_CANCEL, EXT_DELETE_CONFIRM } from "./ext.ts";

function parseValue(value: string | undefined): { extension: string; extension_uuid: string } | null {
  try {
    const parsed = JSON.parse(value ?? "") as { extension?: unknown; extension_uuid?: unknown };
    if (typeof parsed.extension === "string" && typeof parsed.extension_uuid === "string") {
      return { extension: parsed.extension, extension_uuid: parsed.extension_uuid };
    }
  } catch {}
  return null;
}

/** The Delete and Cancel buttons of `/ext delete`: the click is the request, checked and audited as one. */
export function registerExtDeleteButtons(app: App, deps: CommandDeps) {
  app.action<BlockButtonAction>(EXT_DELETE_CONFIRM, async ({ ack, body, action }) => {
    const respond = responseUrlPoster(body.response_url);
    await ack();
    const target = parseValue(action.value);
    const job = buttonJob(deps, body, action, "slack /ext delete (button)");
    await runClaimed(deps, {
      ...job,
      respond,
      async work(request) {
        if (!target) return errorReply("This button is damaged; run /ext delete <number> again.");
        await request.calls.extensions.delete({
          domain_uuid: request.domainUuid,
          extension_uuid: target.extension_uuid,
        });
        return plainReply(`Extension ${target.extension} deleted, with its voicemail box.`);
      },
      onError: (error) => failureReply(error, undefined, job.requestId),
    });
  });

  app.action<BlockButtonAction>(EXT_DELETE_CANCEL, async ({ ack, body, action }) => {
    const respond = responseUrlPoster(body.response_url);
    await ack();
    const target = parseValue(action.value);
    await sendReply(respond, plainReply(target ? `Kept extension ${target.extension}.` : "Cancelled."));
  });
}
