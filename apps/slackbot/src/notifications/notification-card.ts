import type { SwitchboardEventOf } from "@switchboard/core";
import { type Block, context, escapeMrkdwn, type Reply, section } from "../blocks/reply.ts";

/** The action id of the card's "Call back" button (call-back-button.ts). */
export const NOTIFY_CALL_BACK = "notify_call_back";

/** Where the call went, in words: the extension's number and name, or the ring group's. */
export interface CallTarget {
  extension: string | null;
  ringGroup: string | null;
}

/** Slack shows this in the reader's own time zone; the fallback is UTC. */
function when(iso: string): string {
  const epoch = Math.floor(Date.parse(iso) / 1000);
  const fallback = `${iso.slice(0, 16).replace("T", " ")} UTC`;
  return `<!date^${epoch}^{date_short_pretty} at {time}|${fallback}>`;
}

function who(caller: { number: string | null; name: string | null }): string {
  if (caller.name && caller.number && caller.name !== caller.number)
    return `${escapeMrkdwn(caller.name)} (${escapeMrkdwn(caller.number)})`;
  return escapeMrkdwn(caller.number ?? caller.name ?? "an unknown caller");
}

function whereTo(target: CallTarget): string {
  const parts: string[] = [];
  if (target.ringGroup) parts.push(`ring group ${escapeMrkdwn(target.ringGroup)}`);
  if (target.extension) parts.push(`extension ${escapeMrkdwn(target.extension)}`);
  return parts.length ? parts.join(", ") : "your extension";
}

function callBack(number: string | null): Block[] {
  if (!number) return [];
  return [
    {
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: NOTIFY_CALL_BACK,
          text: { type: "plain_text", text: "Call back" },
          value: JSON.stringify({ to: number }),
        },
      ],
    },
  ];
}

/** A missed call: who called, when, which extension or ring group; a Call back button. */
export function missedCallCard(event: SwitchboardEventOf<"call.missed">, target: CallTarget): Reply {
  const at = event.data.ended_at ?? event.occurred_at;
  const caller = who(event.data.caller);
  return {
    text: `Missed call from ${event.data.caller.number ?? event.data.caller.name ?? "an unknown caller"}`,
    blocks: [
      section(`:telephone_receiver: *Missed call* from *${caller}*`),
      {
        type: "section",
        fields: [
          { type: "mrkdwn", text: `*When*\n${when(at)}` },
          { type: "mrkdwn", text: `*To*\n${whereTo(target)}` },
        ],
      },
      ...callBack(event.data.caller.number),
      context(`Call ${escapeMrkdwn(event.call_id ?? event.id)}`),
    ],
  };
}

function length(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** A voicemail: who left it, when, for which mailbox, how long; a Call back button. */
export function voicemailCard(event: SwitchboardEventOf<"voicemail.left">, target: CallTarget): Reply {
  const at = event.data.created_at ?? event.occurred_at;
  const caller = who(event.data.caller);
  const mailbox = event.data.mailbox ?? target.extension;
  return {
    text: `New voicemail from ${event.data.caller.number ?? event.data.caller.name ?? "an unknown caller"}`,
    blocks: [
      section(`:envelope_with_arrow: *New voicemail* from *${caller}*`),
      {
        type: "section",
        fields: [
          { type: "mrkdwn", text: `*When*\n${when(at)}` },
          { type: "mrkdwn", text: `*Mailbox*\n${mailbox ? escapeMrkdwn(mailbox) : "yours"}` },
          { type: "mrkdwn", text: `*Length*\n${length(event.data.length_seconds)}` },
        ],
      },
      ...callBack(event.data.caller.number),
    ],
  };
}
