/**
 * Slack's documented limits for a message and the Block Kit blocks this bot sends (Block Kit reference:
 * blocks, composition objects, block elements). A message over any of them is refused with `invalid_blocks`.
 * `messageProblems` is the one checker: `fitMessage` (message.ts) is proven against it, and the fake Web API
 * of the tests refuses what it finds, as Slack does.
 */
export const LIMITS = {
  messageText: 40_000,
  blocksPerMessage: 50,
  sectionText: 3_000,
  sectionFields: 10,
  fieldText: 2_000,
  headerText: 150,
  contextElements: 10,
  contextText: 3_000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2_000,
  actionId: 255,
  blockId: 255,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
} as const;

type Json = Record<string, unknown>;

function textOf(value: unknown): string | null {
  return value && typeof value === "object" && typeof (value as Json).text === "string"
    ? ((value as Json).text as string)
    : null;
}

/** Every way a message breaks Slack's limits, as readable lines; empty when Slack would accept it. */
export function messageProblems(message: { text?: unknown; blocks?: unknown }): string[] {
  const problems: string[] = [];
  const check = (where: string, text: string | null, max: number, type?: "plain_text" | "mrkdwn", obj?: unknown) => {
    if (text === null) {
      problems.push(`${where}: missing text`);
      return;
    }
    if (text.length < 1) problems.push(`${where}: empty text`);
    if (text.length > max) problems.push(`${where}: ${text.length} characters (at most ${max})`);
    if (type && obj && (obj as Json).type !== type) problems.push(`${where}: must be ${type}`);
  };
  if (typeof message.text === "string" && message.text.length > LIMITS.messageText)
    problems.push(`text: ${message.text.length} characters (at most ${LIMITS.messageText})`);
  if (message.blocks === undefined) {
    if (typeof message.text !== "string" || message.text.length === 0) problems.push("text: empty without blocks");
    return problems;
  }
  if (!Array.isArray(message.blocks)) return ["blocks: not a list"];
  if (message.blocks.length > LIMITS.blocksPerMessage)
    problems.push(`blocks: ${message.blocks.length} (at most ${LIMITS.blocksPerMessage})`);
  message.blocks.forEach((raw, i) => {
    const block = raw as Json;
    const at = `blocks[${i}] (${String(block.type)})`;
    if (typeof block.block_id === "string" && block.block_id.length > LIMITS.blockId) problems.push(`${at}: block_id`);
    switch (block.type) {
      case "section": {
        const fields = block.fields as unknown[] | undefined;
        if (block.text === undefined && fields === undefined) problems.push(`${at}: neither text nor fields`);
        if (block.text !== undefined) check(`${at}.text`, textOf(block.text), LIMITS.sectionText);
        if (fields !== undefined) {
          if (fields.length > LIMITS.sectionFields) problems.push(`${at}: ${fields.length} fields (at most 10)`);
          for (const [j, f] of fields.entries()) check(`${at}.fields[${j}]`, textOf(f), LIMITS.fieldText);
        }
        break;
      }
      case "header":
        check(`${at}.text`, textOf(block.text), LIMITS.headerText, "plain_text", block.text);
        break;
      case "context": {
        const elements = (block.elements as unknown[] | undefined) ?? [];
        if (elements.length < 1 || elements.length > LIMITS.contextElements)
          problems.push(`${at}: ${elements.length} elements (1 to ${LIMITS.contextElements})`);
        for (const [j, e] of elements.entries()) check(`${at}.elements[${j}]`, textOf(e), LIMITS.contextText);
        break;
      }
      case "actions": {
        const elements = (block.elements as Json[] | undefined) ?? [];
        if (elements.length < 1 || elements.length > LIMITS.actionsElements)
          problems.push(`${at}: ${elements.length} elements (1 to ${LIMITS.actionsElements})`);
        for (const [j, element] of elements.entries()) buttonProblems(`${at}.elements[${j}]`, element, check, problems);
        break;
      }
      case "divider":
        break;
      default:
        problems.push(`${at}: a block type this bot does not send`);
    }
  });
  return problems;
}

function buttonProblems(
  at: string,
  element: Json,
  check: (where: string, text: string | null, max: number, type?: "plain_text" | "mrkdwn", obj?: unknown) => void,
  problems: string[],
) {
  if (element.type !== "button") {
    problems.push(`${at}: an element type this bot does not send`);
    return;
  }
  check(`${at}.text`, textOf(element.text), LIMITS.buttonText, "plain_text", element.text);
  if (typeof element.action_id === "string" && element.action_id.length > LIMITS.actionId)
    problems.push(`${at}.action_id: too long`);
  if (typeof element.value === "string" && element.value.length > LIMITS.buttonValue)
    problems.push(`${at}.value: ${element.value.length} characters (at most ${LIMITS.buttonValue})`);
  const confirm = element.confirm as Json | undefined;
  if (confirm) {
    check(`${at}.confirm.title`, textOf(confirm.title), LIMITS.confirmTitle, "plain_text", confirm.title);
    check(`${at}.confirm.text`, textOf(confirm.text), LIMITS.confirmText);
    check(`${at}.confirm.confirm`, textOf(confirm.confirm), LIMITS.confirmButton, "plain_text", confirm.confirm);
    check(`${at}.confirm.deny`, textOf(confirm.deny), LIMITS.confirmButton, "plain_text", confirm.deny);
  }
}
