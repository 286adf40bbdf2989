import type { App, BlockButtonAction } from "@slack/bolt";
import { errorReply, PAGE_ACTION } from "../blocks/reply.ts";
import { responseUrlPoster } from "../runtime/response-url.ts";
import {
  buttonJob,
  type CommandDeps,
  failureReply,
  parseInvocation,
  runClaimed,
  type SlashCommandSpec,
} from "./command-kit.ts";

/** The command and page a Previous/Next button asks for (blocks/reply.ts puts them in its value). */
function parseValue(value: string | undefined): { command: string; page: number } | null {
  try {
    const parsed = JSON.parse(value ?? "") as { command?: unknown; page?: unknown };
    if (typeof parsed.command === "string" && Number.isInteger(parsed.page))
      return { command: parsed.command, page: parsed.page as number };
  } catch {}
  return null;
}

/**
 * Previous/Next under a long list: the click runs the list command again for that page, as the person who
 * clicked (their permissions, audited), and replaces the list in place (a button's response_url may).
 */
export function registerPageButtons(app: App, specs: readonly SlashCommandSpec[], deps: CommandDeps) {
  for (const actionId of Object.values(PAGE_ACTION)) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action }) => {
      const respond = responseUrlPoster(body.response_url);
      await ack();
      const target = parseValue(action.value);
      const [name = "", ...rest] = target ? target.command.split(" ") : [];
      const spec = specs.find((s) => s.command === name);
      const parsed = spec && target ? parseInvocation(spec, `${rest.join(" ")} ${target.page}`) : null;
      const job = buttonJob(deps, body, action, `slack ${name || "list"} (page button)`);
      await runClaimed(deps, {
        ...job,
        needsDomain: parsed?.kind !== "run" || parsed.sub.needsDomain !== false,
        respond,
        async work(request) {
          if (!parsed) return errorReply("This button is damaged; run the list command again.");
          if (parsed.kind !== "run") return parsed.reply;
          return parsed.sub.run(request, parsed.args);
        },
        onError: (error) => failureReply(error, undefined, job.requestId),
      });
    });
  }
}
