import { LIMITS } from "./limits.ts";
import { type Block, escapeMrkdwn, type Reply } from "./reply.ts";

/** A message as it goes on the wire (response_url, ack, chat.postMessage, chat.update). */
export interface SlackMessage {
  text: string;
  blocks?: Block[];
}

const ELLIPSIS = "…";

/** Cuts `text` to at most `max` UTF-16 units without splitting a surrogate pair, marking the cut with "…". */
export function clampPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - ELLIPSIS.length;
  if (end > 0 && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end--;
  return text.slice(0, Math.max(end, 0)) + ELLIPSIS;
}

/**
 * Cuts escaped mrkdwn to at most `max` characters: never inside an entity (`&amp;`) or a surrogate pair,
 * and an open ``` code block is closed again, so the cut text renders as it did and still mentions no one.
 */
export function clampMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  const fence = "```";
  let end = max - ELLIPSIS.length - fence.length;
  const amp = text.lastIndexOf("&", end - 1);
  if (amp !== -1 && amp > end - 6 && !text.slice(amp, end).includes(";")) end = amp;
  if (end > 0 && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end--;
  const kept = text.slice(0, Math.max(end, 0));
  const openFence = (kept.split(fence).length - 1) % 2 === 1;
  return kept + ELLIPSIS + (openFence ? fence : "");
}

type Json = Record<string, unknown>;

function fitText(object: unknown, max: number): unknown {
  if (!object || typeof object !== "object") return object;
  const text = (object as Json).text;
  if (typeof text !== "string") return object;
  const fitted =
    (object as Json).type === "mrkdwn" ? clampMrkdwn(text, max) : clampPlain(text === "" ? " " : text, max);
  return { ...(object as Json), text: fitted === "" ? " " : fitted };
}

function fitButton(element: Json): Json {
  const out: Json = { ...element, text: fitText(element.text, LIMITS.buttonText) };
  const confirm = element.confirm as Json | undefined;
  if (confirm) {
    out.confirm = {
      ...confirm,
      title: fitText(confirm.title, LIMITS.confirmTitle),
      text: fitText(confirm.text, LIMITS.confirmText),
      confirm: fitText(confirm.confirm, LIMITS.confirmButton),
      deny: fitText(confirm.deny, LIMITS.confirmButton),
    };
  }
  return out;
}

function fitBlock(block: Block): Block {
  const b = block as unknown as Json;
  switch (b.type) {
    case "section":
      return {
        ...b,
        ...(b.text !== undefined ? { text: fitText(b.text, LIMITS.sectionText) } : {}),
        ...(Array.isArray(b.fields)
          ? { fields: b.fields.slice(0, LIMITS.sectionFields).map((f) => fitText(f, LIMITS.fieldText)) }
          : {}),
      } as unknown as Block;
    case "header":
      return { ...b, text: fitText(b.text, LIMITS.headerText) } as unknown as Block;
    case "context":
      return {
        ...b,
        elements: (b.elements as unknown[]).slice(0, LIMITS.contextElements).map((e) => fitText(e, LIMITS.contextText)),
      } as unknown as Block;
    case "actions":
      return {
        ...b,
        elements: (b.elements as Json[]).slice(0, LIMITS.actionsElements).map(fitButton),
      } as unknown as Block;
    default:
      return block;
  }
}

/**
 * The one place a reply becomes a Slack message: the fallback text escaped (so `<!channel>` in a name never
 * pings) and cut to 40,000 characters, every text object cut to its block's limit after escaping, and at most
 * 50 blocks, the last saying that the rest was cut.
 */
export function fitMessage(reply: Reply): SlackMessage {
  const text = clampPlain(escapeMrkdwn(reply.text) || " ", LIMITS.messageText);
  if (!reply.blocks) return { text };
  let blocks = reply.blocks.map(fitBlock);
  if (blocks.length > LIMITS.blocksPerMessage) {
    blocks = [
      ...blocks.slice(0, LIMITS.blocksPerMessage - 1),
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: "Cut short: the rest does not fit in one Slack message." }],
      },
    ];
  }
  return { text, blocks };
}

/** What the user gets when Slack refuses a reply anyway: plain text, what happened, and the reply's own text. */
export function refusedFallback(reply: Reply, error: string): SlackMessage {
  const note = `Slack refused to show this reply as formatted (${error}); here it is as plain text:\n`;
  return { text: clampPlain(note + escapeMrkdwn(reply.text), LIMITS.messageText) };
}
