import type { App, BlockButtonAction } from "@slack/bolt";
import { type Block, context, errorReply, escapeMrkdwn, plainReply, type Reply, section } from "../blocks/reply.ts";
import { responseUrlPoster } from "../runtime/response-url.ts";
import {
  buttonJob,
  type CommandDeps,
  type CommandRequest,
  failureReply,
  runClaimed,
  sendReply,
} from "./command-kit.ts";

/** What a Delete button deletes: a name for people, and the row's uuid for the action. */
export interface DeleteTarget {
  label: string;
  uuid: string;
}

/** One kind of thing `/dest delete` or `/ring delete` deletes, and how. */
export interface Deletable {
  /** "inbound number", "ring group". */
  noun: string;
  confirmActionId: string;
  cancelActionId: string;
  /** The command for the audit log: "slack /dest delete (button)". */
  auditName: string;
  /** What else goes with it, said before and after. */
  alsoDeleted: string;
  remove(request: CommandRequest, target: DeleteTarget): Promise<unknown>;
}

function parseTarget(value: string | undefined): DeleteTarget | null {
  try {
    const parsed = JSON.parse(value ?? "") as Record<string, unknown>;
    if (typeof parsed.label === "string" && typeof parsed.uuid === "string")
      return { label: parsed.label, uuid: parsed.uuid };
  } catch {}
  return null;
}

/** The confirm prompt: Delete (with Slack's own confirm dialog) and Cancel; the click is checked again. */
export function deletePrompt(kind: Deletable, target: DeleteTarget): Reply {
  const value = JSON.stringify({ label: target.label.slice(0, 200), uuid: target.uuid });
  const blocks: Block[] = [
    section(`Delete ${kind.noun} *${escapeMrkdwn(target.label)}*? ${escapeMrkdwn(kind.alsoDeleted)}`),
    {
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: kind.confirmActionId,
          style: "danger",
          text: { type: "plain_text", text: "Delete" },
          value,
          confirm: {
            title: { type: "plain_text", text: `Delete ${kind.noun}?` },
            text: { type: "plain_text", text: `${kind.noun} ${target.label} will be deleted. ${kind.alsoDeleted}` },
            confirm: { type: "plain_text", text: "Delete" },
            deny: { type: "plain_text", text: "Keep it" },
            style: "danger",
          },
        },
        { type: "button", action_id: kind.cancelActionId, text: { type: "plain_text", text: "Cancel" }, value },
      ],
    },
    context("Nothing is deleted until you press Delete."),
  ];
  return { text: `Delete ${kind.noun} ${target.label}? Press Delete to confirm.`, blocks };
}

/** The Delete and Cancel buttons of one kind: the click is the request, checked and audited as one. */
export function registerDeleteButtons(app: App, deps: CommandDeps, kind: Deletable) {
  app.action<BlockButtonAction>(kind.confirmActionId, async ({ ack, body, action }) => {
    await ack();
    const target = parseTarget(action.value);
    const job = buttonJob(deps, body, action, kind.auditName);
    await runClaimed(deps, {
      ...job,
      async work(request) {
        if (!target) return errorReply(`This button is damaged; ask for the ${kind.noun} to be deleted again.`);
        await kind.remove(request, target);
        return plainReply(`${kind.noun.charAt(0).toUpperCase()}${kind.noun.slice(1)} ${target.label} deleted.`);
      },
      onError: (error) => failureReply(error, undefined, job.requestId),
    });
  });

  app.action<BlockButtonAction>(kind.cancelActionId, async ({ ack, body, action }) => {
    await ack();
    const target = parseTarget(action.value);
    await sendReply(
      responseUrlPoster(body.response_url),
      plainReply(target ? `Kept ${kind.noun} ${target.label}.` : "Cancelled."),
      deps.logger,
    );
  });
}

/** No Delete button for someone the delete itself would refuse (it checks again when pressed). */
export function mayWrite(request: CommandRequest): boolean {
  return request.identity.scopes.has("write") || request.identity.scopes.has("admin");
}

export const NEED_WRITE =
  "You need the 'write' permission for this. A Switchboard admin can grant it with /pbx admin scopes.";
