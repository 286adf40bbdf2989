/**
 * How the fake switch reads an `originate` argument string, the way mod_commands does
 * (docs/event-socket.md §7): space-separated with single-quote grouping and backslash escapes, then the
 * leading `{var=val,…}` block of the call URL.
 */

export const ORIGINATE_USAGE =
  "-USAGE: <call url> <exten>|&<application_name>(<app_args>) [<dialplan>] [<context>] [<cid_name>] [<cid_num>] [<timeout_sec>]\n";

/** `switch_separate_string(..., ' ')`: runs of spaces separate, '…' groups (quotes removed), `\x` is a literal x. */
export function separateArguments(text: string): string[] {
  const args: string[] = [];
  let current = "";
  let inQuote = false;
  let hasToken = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === "\\" && i + 1 < text.length) {
      current += text[i + 1];
      hasToken = true;
      i++;
    } else if (char === "'") {
      inQuote = !inQuote;
      hasToken = true;
    } else if (char === " " && !inQuote) {
      if (hasToken) args.push(current);
      current = "";
      hasToken = false;
    } else {
      current += char;
      hasToken = true;
    }
  }
  if (hasToken) args.push(current);
  return args;
}

/** The `{a=b,c='d,e'}` block: variables by name (quotes removed), and what follows the block. */
export function parseVariableBlock(callUrl: string): { variables: Record<string, string>; endpoint: string } {
  const variables: Record<string, string> = {};
  if (!callUrl.startsWith("{")) return { variables, endpoint: callUrl };
  let depth = 0;
  let inQuote = false;
  let close = -1;
  for (let i = 0; i < callUrl.length; i++) {
    const char = callUrl[i];
    if (char === "'") inQuote = !inQuote;
    else if (!inQuote && char === "{") depth++;
    else if (!inQuote && char === "}") {
      depth--;
      if (depth === 0) {
        close = i;
        break;
      }
    }
  }
  if (close < 0) return { variables, endpoint: callUrl };
  let inner = callUrl.slice(1, close);
  let separator = ",";
  if (inner.startsWith("^^") && inner.length > 2) {
    separator = inner[2]!;
    inner = inner.slice(3);
  }
  let part = "";
  inQuote = false;
  const parts: string[] = [];
  for (const char of inner) {
    if (char === "'") inQuote = !inQuote;
    if (char === separator && !inQuote) {
      parts.push(part);
      part = "";
    } else {
      part += char;
    }
  }
  if (part !== "") parts.push(part);
  for (const assignment of parts) {
    const eq = assignment.indexOf("=");
    if (eq <= 0) continue;
    let value = assignment.slice(eq + 1);
    if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) value = value.slice(1, -1);
    variables[assignment.slice(0, eq)] = value;
  }
  return { variables, endpoint: callUrl.slice(close + 1) };
}

/** One `originate` as the fake switch understood it. */
export interface OriginateRequest {
  /** The argument string after `originate `, as received. */
  raw: string;
  /** The arguments after FreeSWITCH's split. */
  args: string[];
  callUrl: string;
  variables: Record<string, string>;
  /** The dial string after the `{…}` block, e.g. `user/1001@example.com` or `loopback/*9664/example.com`. */
  endpoint: string;
  /** `&app(args)` or an extension. */
  destination: string;
  dialplan: string;
  context: string;
  callerIdName: string | undefined;
  callerIdNumber: string | undefined;
  timeoutSec: number;
}

export function parseOriginate(raw: string): OriginateRequest | null {
  const args = separateArguments(raw.trim());
  if (args.length < 2 || args.length > 7) return null;
  const given = (i: number) => (args[i] === undefined || args[i] === "undef" ? undefined : args[i]);
  const { variables, endpoint } = parseVariableBlock(args[0]!);
  const timeout = Number.parseInt(given(6) ?? "", 10);
  return {
    raw,
    args,
    callUrl: args[0]!,
    variables,
    endpoint,
    destination: args[1]!,
    dialplan: given(2) ?? "XML",
    context: given(3) ?? "default",
    callerIdName: given(4),
    callerIdNumber: given(5),
    timeoutSec: Number.isFinite(timeout) && timeout > 0 ? timeout : 60,
  };
}

/** What a scripted originate does. */
export type OriginateOutcome =
  /** Answers after `afterMs` (default 0) with `+OK <uuid>`; hangs up after `hangupAfterMs` if given. */
  | { kind: "answer"; afterMs?: number; uuid?: string; hangupAfterMs?: number; hangupCause?: string }
  /** `-ERR USER_BUSY` after `afterMs`. */
  | { kind: "busy"; afterMs?: number }
  /** `-ERR NO_ANSWER` after `afterMs` (a real ring timeout is 60 s). */
  | { kind: "noAnswer"; afterMs?: number }
  /** `-ERR <cause>` after `afterMs`, e.g. `SUBSCRIBER_ABSENT`, `USER_NOT_REGISTERED`. */
  | { kind: "fail"; cause: string; afterMs?: number }
  /** Never replies: the `api` connection stays blocked, as an endlessly ringing phone would. */
  | { kind: "never" };

export type OriginateMatch = string | RegExp | ((request: OriginateRequest) => boolean);

/** A string matches the endpoint (contains); a RegExp is tested against the whole argument string. */
export function originateMatches(match: OriginateMatch, request: OriginateRequest): boolean {
  if (typeof match === "string") return request.endpoint.includes(match);
  if (match instanceof RegExp) return match.test(request.raw);
  return match(request);
}

/** The channel name FreeSWITCH would give the A-leg of this endpoint. */
export function channelNameFor(endpoint: string): string {
  const first = endpoint.replace(/^\[[^\]]*\]/, "").split(/[,|]/)[0] ?? endpoint;
  const loopback = /^loopback\/([^/]+)/.exec(first);
  if (loopback) return `loopback/${loopback[1]}-a`;
  const user = /^user\/(.+)$/.exec(first);
  if (user) return `sofia/internal/${user[1]}`;
  return first;
}
