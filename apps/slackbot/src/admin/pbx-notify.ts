import { escapeMrkdwn, type Reply, section } from "../blocks/reply.ts";
import type { Subcommand } from "../commands/command-kit.ts";
import { channelLink } from "../text/tokenize.ts";
import { slackChannelNotify, slackChannelNotifyList } from "./slack-notify-actions.ts";

const USAGE = "/pbx notify missed|voicemail #channel · /pbx notify off missed|voicemail #channel · /pbx notify list";
const KINDS = ["missed", "voicemail"] as const;
type Kind = (typeof KINDS)[number];
const WHAT: Record<Kind, string> = { missed: "missed calls", voicemail: "voicemails" };

type Subscription = { kind: Kind; channel_id: string; channel_name: string | null };

function plain(text: string): Reply {
  return { text, blocks: [section(escapeMrkdwn(text))] };
}

/** `[off] kind #channel`, or a text saying what a valid command looks like. */
function parse(args: readonly string[]): { on: boolean; kind: Kind; channel: string } | string {
  const words = args[0]?.toLowerCase() === "off" ? args.slice(1) : args;
  const on = words.length === args.length;
  const [kind, channel] = words;
  if (words.length !== 2 || !kind || !channel) return `Write it as ${USAGE}`;
  if (!KINDS.includes(kind.toLowerCase() as Kind))
    return `'${kind}' is not something to send; use missed or voicemail.`;
  if (!channelLink(channel))
    return `'${channel}' is not a channel; pick it from Slack's # list as you type, like #reception.`;
  return { on, kind: kind.toLowerCase() as Kind, channel };
}

/** `/pbx notify …`: which channels get the domain's missed calls and voicemails (admin, checked by each action). */
export const notifySubcommand: Subcommand = {
  name: "notify",
  usage: USAGE,
  summary: "send the domain's missed calls or voicemails to a channel (admin)",
  minArgs: 1,
  maxArgs: 3,
  check(args) {
    if (args.length === 1 && args[0]!.toLowerCase() === "list") return null;
    const parsed = parse(args);
    return typeof parsed === "string" ? parsed : null;
  },
  pending: () => "Working on /pbx notify…",
  async run(request, args) {
    if (args[0]!.toLowerCase() === "list") {
      const rows = (await request.run(slackChannelNotifyList, {})) as Subscription[];
      if (rows.length === 0) return plain("No channel gets notifications. /pbx notify missed #channel adds one.");
      const lines = rows.map((r) => `<#${r.channel_id}>: ${WHAT[r.kind]}`);
      return {
        text: [
          "Channel notifications:",
          ...rows.map((r) => `#${r.channel_name ?? r.channel_id}: ${WHAT[r.kind]}`),
        ].join("\n"),
        blocks: [section(`*Channel notifications*\n${lines.slice(0, 60).join("\n")}`)],
      };
    }
    const { on, kind, channel } = parse(args) as Exclude<ReturnType<typeof parse>, string>;
    const link = channelLink(channel)!;
    const out = (await request.run(slackChannelNotify, {
      kind,
      channel_id: link.id,
      channel_name: link.name,
      on,
    })) as { changed: boolean };
    const text = on
      ? `<#${link.id}> now gets this domain's ${WHAT[kind]}. Invite the bot to it (/invite @Switchboard) if it is not a member.`
      : out.changed
        ? `<#${link.id}> no longer gets ${WHAT[kind]}.`
        : `<#${link.id}> was not getting ${WHAT[kind]}.`;
    return { text: text.replace(`<#${link.id}>`, `#${link.name ?? link.id}`), blocks: [section(text)] };
  },
};
