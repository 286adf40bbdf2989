import { type Block, context, errorReply, escapeMrkdwn, type Reply, section } from "../blocks/reply.ts";
import { PHONE_NUMBER_HELP, parsePhoneNumber } from "../text/phone-number.ts";
import { mentionedUserId } from "../text/tokenize.ts";
import { type CommandDeps, type CommandRequest, type SlashCommandSpec, type Subcommand } from "./command-kit.ts";

/** What `calls.status` and `calls.originate` tell about a call (their typed outputs share these fields). */
export interface CallStatus {
  status: string;
  hangup_cause?: string | null;
  answered_at?: string | null;
}

/** What the user sees of a call, from `call-status`. */
export type CallOutcome =
  | { state: "ringing" }
  | { state: "answered" }
  | { state: "busy"; cause: string }
  | { state: "no answer"; cause: string }
  | { state: "failed"; cause: string };

const NO_ANSWER_CAUSES = new Set([
  "NO_ANSWER",
  "NO_USER_RESPONSE",
  "ALLOTTED_TIMEOUT",
  "RECOVERY_ON_TIMER_EXPIRE",
  "ORIGINATOR_CANCEL",
]);
const BUSY_CAUSES = new Set(["USER_BUSY", "CALL_REJECTED", "NORMAL_CIRCUIT_CONGESTION"]);

/** Reads a call's status into an outcome; statuses before an answer or an end are "ringing". */
export function outcomeOf(call: CallStatus): CallOutcome {
  const cause = (call.hangup_cause ?? "").toUpperCase();
  if (call.status === "answered" || (call.status === "ended" && call.answered_at)) return { state: "answered" };
  if (call.status === "ended") {
    if (BUSY_CAUSES.has(cause)) return { state: "busy", cause };
    if (NO_ANSWER_CAUSES.has(cause)) return { state: "no answer", cause };
    return { state: "failed", cause: cause || "UNKNOWN" };
  }
  return { state: "ringing" };
}

const LABEL: Record<CallOutcome["state"], string> = {
  ringing: ":telephone_receiver: Ringing",
  answered: ":white_check_mark: Answered",
  busy: ":no_entry: Busy",
  "no answer": ":hourglass: No answer",
  failed: ":x: Failed",
};

/** The call card: who rings, who is dialled, how it went. */
export function callCard(from: string, to: string, outcome: CallOutcome, callUuid: string | null): Reply {
  const cause = "cause" in outcome ? outcome.cause : null;
  const label = LABEL[outcome.state];
  const plainState = label.replace(/^:[a-z_]+: /, "");
  const blocks: Block[] = [
    section(`*${label}* — call from *${escapeMrkdwn(from)}* to *${escapeMrkdwn(to)}*`),
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Rings first*\n${escapeMrkdwn(from)}` },
        { type: "mrkdwn", text: `*Then connects to*\n${escapeMrkdwn(to)}` },
        { type: "mrkdwn", text: `*Status*\n${plainState}${cause ? ` (${escapeMrkdwn(cause)})` : ""}` },
      ],
    },
  ];
  if (callUuid) blocks.push(context(`Call ${escapeMrkdwn(callUuid)}`));
  return { text: `${plainState}: ${from} → ${to}${cause ? ` (${cause})` : ""}`, blocks };
}

/** Waits between status checks: quick at first (most calls are answered or refused at once), then every 2 s. */
const POLL_DELAYS_MS = [150, 300, 600, 1000, 1500];
const POLL_EVERY_MS = 2000;
/** Ring first leg (30 s) then the second (30 s), with room to spare. */
const GIVE_UP_AFTER_MS = 120_000;

async function waitForOutcome(request: CommandRequest, callUuid: string): Promise<CallOutcome> {
  let waited = 0;
  for (let attempt = 0; waited < GIVE_UP_AFTER_MS; attempt++) {
    const delay = POLL_DELAYS_MS[attempt] ?? POLL_EVERY_MS;
    await Bun.sleep(delay);
    waited += delay;
    const outcome = outcomeOf(await request.polls.calls.status({ call_uuid: callUuid }));
    if (outcome.state !== "ringing") return outcome;
  }
  return { state: "ringing" };
}

/** Who a `/call` argument names: a number as typed, or a colleague by mention (their linked extension). */
type Party = { kind: "number"; number: string } | { kind: "user"; userId: string };

function partyOf(text: string): Party | null {
  const userId = mentionedUserId(text);
  if (userId) return { kind: "user", userId };
  const number = parsePhoneNumber(text);
  return number ? { kind: "number", number } : null;
}

/**
 * `/call <to>` or `/call <from> <to>`, where `<to>` may be typed with spaces (`+1 (206) 555-0123`): a first
 * word that is a mention, or a bare number followed by one more word (or a short extension followed by a
 * number typed with spaces), is `<from>`; otherwise every word is one number to call.
 */
export function parseCallArguments(args: readonly string[]): { from: Party | null; to: Party } | string {
  const [first, ...rest] = args as [string, ...string[]];
  const restText = rest.join(" ");
  const bare = /^\+?[0-9*#]{1,32}$/.test(first);
  const isFrom =
    rest.length > 0 &&
    (mentionedUserId(first) !== null ||
      (bare && (rest.length === 1 || /^[0-9]{1,6}$/.test(first)) && partyOf(restText) !== null));
  const toText = isFrom ? restText : args.join(" ");
  const to = partyOf(toText);
  if (!to) return `'${toText}' is not a number to call; ${PHONE_NUMBER_HELP}, or a colleague (@name).`;
  return { from: isFrom ? partyOf(first) : null, to };
}

const NO_EXTENSION =
  "You have no extension linked to you, so you cannot place calls yet. A Switchboard admin links yours with /pbx admin ext @you <extension>.";

/** A party's number: the number itself, or the colleague's linked extension. */
async function numberOf(request: CommandRequest, party: Party): Promise<string | Reply> {
  if (party.kind === "number") return party.number;
  const colleague = await request.deps.identify(request.identity.teamId, party.userId);
  if (!colleague.extension)
    return errorReply(
      "That colleague has no extension linked to them; a Switchboard admin links it with /pbx admin ext @them <extension>.",
    );
  return colleague.extension;
}

const call: Subcommand = {
  name: "",
  usage: "/call <to>  or  /call <from> <to>",
  summary:
    "ring your own extension (or <from>, an extension or @colleague) first, then connect it to <to> (a number or @colleague)",
  minArgs: 1,
  maxArgs: 8,
  check: (args) => {
    const parsed = parseCallArguments(args);
    return typeof parsed === "string" ? parsed : null;
  },
  pending: (args) => {
    const parsed = parseCallArguments(args);
    return typeof parsed !== "string" && parsed.from?.kind === "number" ? `Calling ${parsed.from.number}…` : "Calling…";
  },
  async run(request, args) {
    const parsed = parseCallArguments(args) as { from: Party | null; to: Party };
    const to = await numberOf(request, parsed.to);
    if (typeof to !== "string") return to;
    const from = parsed.from ? await numberOf(request, parsed.from) : request.identity.extension;
    if (from === null) return errorReply(NO_EXTENSION);
    if (typeof from !== "string") return from;
    // Core's call policy checks <from> and <to> and sets the caller id from the extension that rings first.
    const started = await request.calls.calls.originate({
      domain_uuid: request.domainUuid,
      caller_id_number: from,
      ring_first: from,
      connect_to: to,
      mode: "async",
      // The trigger id makes Slack's retries of this command the same call, on top of the request claim.
      idempotency_key: request.requestId,
    });
    const callUuid = started.call_uuid;
    if (!callUuid) return callCard(from, to, { state: "failed", cause: "NO_CALL_ID" }, null);
    const placed = outcomeOf(started);
    if (placed.state !== "ringing") return callCard(from, to, placed, callUuid);
    await request.update(callCard(from, to, placed, callUuid));
    const outcome = await waitForOutcome(request, callUuid);
    return callCard(from, to, outcome, callUuid);
  },
};

export const callCommand: SlashCommandSpec = {
  command: "/call",
  summary: "click-to-call: your phone rings, then the number you asked for",
  subcommands: [],
  fallback: call,
};
