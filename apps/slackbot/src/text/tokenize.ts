/** Opening quote → the closing quote it pairs with; Slack clients often turn `"` into curly quotes. */
const QUOTE_PAIRS: Record<string, string> = {
  '"': '"',
  "'": "'",
  "\u201c": "\u201d",
  "\u201d": "\u201d",
  "\u2018": "\u2019",
  "\u2019": "\u2019",
};

export class UnbalancedQuoteError extends Error {
  constructor() {
    super("a quoted argument is missing its closing quote");
    this.name = "UnbalancedQuoteError";
  }
}

/**
 * Slack sends slash-command text with `&`, `<` and `>` HTML-escaped; this restores what the user typed.
 * Mentions and channel links (`<@U123|ann>`) are left to `mentionedUserId`.
 */
export function unescapeSlackText(text: string): string {
  return text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&" };

/**
 * Splits command text into arguments the way a shell user expects: whitespace separates, a quoted run
 * (straight or curly quotes) is one argument with its quotes removed, `""` is an empty argument. Slack's own
 * markup (`<@U123|Carol Smith>`, `<tel:5551234|555-1234>`) stays one piece even with spaces inside: a raw
 * `<` only ever comes from Slack, which sends the user's own `<`, `>` and `&` HTML-escaped.
 */
export function tokenize(text: string): string[] {
  const args: string[] = [];
  let current = "";
  let inToken = false;
  let closing: string | null = null;
  for (let i = 0; i < text.length; i++) {
    let char = text[i]!;
    if (char === "<" && closing === null) {
      const end = text.indexOf(">", i);
      if (end !== -1) {
        current += text.slice(i, end + 1);
        inToken = true;
        i = end;
        continue;
      }
    }
    if (char === "&") {
      const entity = Object.keys(ENTITIES).find((e) => text.startsWith(e, i));
      if (entity) {
        char = ENTITIES[entity]!;
        i += entity.length - 1;
        current += char;
        inToken = true;
        continue;
      }
    }
    if (closing !== null) {
      if (char === closing) closing = null;
      else current += char;
      continue;
    }
    const pair = QUOTE_PAIRS[char];
    if (pair !== undefined) {
      closing = pair;
      inToken = true;
      continue;
    }
    if (/\s/.test(char)) {
      if (inToken) args.push(current);
      current = "";
      inToken = false;
      continue;
    }
    current += char;
    inToken = true;
  }
  if (closing !== null) throw new UnbalancedQuoteError();
  if (inToken) args.push(current);
  return args;
}

/** The user id of a Slack mention (`<@U123|ann>` or `<@U123>`), or the text itself when it is a bare id. */
export function mentionedUserId(argument: string): string | null {
  const mention = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(argument);
  if (mention) return mention[1]!;
  return /^[UW][A-Z0-9]{2,}$/.test(argument) ? argument : null;
}

/** A Slack channel link as Slack sends it (`<#C123|reception>` or `<#C123>`): its id and name, else null. */
export function channelLink(argument: string): { id: string; name: string | null } | null {
  const link = /^<#([CG][A-Z0-9]+)(?:\|([^>]*))?>$/.exec(argument);
  if (!link) return null;
  return { id: link[1]!, name: link[2] ? link[2] : null };
}
