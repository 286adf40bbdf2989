import { type Block, context, errorReply, escapeMrkdwn, type Reply, section } from "../blocks/reply.ts";
import { UnknownNameError } from "../access/slack-user-names.ts";
import { postLiveCard } from "../runtime/call-card.ts";
import { type CallPhase, followCall } from "../runtime/call-follow.ts";
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
  /** The switch took the originate but never confirmed it (core's status "unknown"): it may still ring. */
  | { state: "unknown" }
  | { state: "answered" }
  | { state: "busy"; cause: string }
  | { state: "no answer"; cause: string }
  | { state: "failed"; cause: string }
  /** Answered, then hung up (only the live card shows this; outcomeOf reads such a call as answered). */
  | { state: "ended"; cause: string };

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
  if (call.status === "unknown") return { state: "unknown" };
  return { state: "ringing" };
}

/** Still open: ringing, or not yet known whether the switch placed it. */
const open = (outcome: CallOutcome) => outcome.state === "ringing" || outcome.state === "unknown";

const LABEL: Record<CallOutcome["state"], string> = {
  ringing: ":telephone_receiver: Ringing",
  unknown: ":grey_question: Outcome unknown",
  answered: ":white_check_mark: Answered",
  busy: ":no_entry: Busy",
  "no answer": ":hourglass: No answer",
  failed: ":x: Failed",
  ended: ":checkered_flag: Ended",
};

/** The Hang up button's action id; its value names the call and its parties (call-hangup-button.ts). */
export const CALL_HANGUP = "call_hangup";

/** The call card: who rings, who is dialled, how it went. */
export function callCard(
  from: string,
  to: string,
  outcome: CallOutcome,
  callUuid: string | null,
  options: { hangUp?: boolean } = {},
): Reply {
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
  if (callUuid && options.hangUp)
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: CALL_HANGUP,
          style: "danger",
          text: { type: "plain_text", text: "Hang up" },
          value: JSON.stringify({ call_uuid: callUuid, from: from.slice(0, 64), to: to.slice(0, 64) }),
        },
      ],
    });
  return { text: `${plainState}: ${from} → ${to}${cause ? ` (${cause})` : ""}`, blocks };
}

/** Ring first leg (30 s) then the second (30 s), with room to spare. */
const GIVE_UP_AFTER_MS = 120_000;
/** How long the live card of an answered call keeps its Hang up button, waiting for the call to end. */
const FOLLOW_FOR_MS = 30 * 60_000;

/** call-status in the card's terms, for the fallback poll. */
async function polledPhase(request: CommandRequest, callUuid: string): Promise<CallPhase> {
  const call = await request.polls.calls.status({ call_uuid: callUuid });
  if (call.status === "ended")
    return { phase: "ended", cause: call.hangup_cause ?? "UNKNOWN", answered: Boolean(call.answered_at) };
  if (call.status === "answered") return { phase: "answered" };
  return { phase: call.status === "unknown" ? "unknown" : "ringing" };
}

/** The command's answer: answered (also when it has ended since), or why it was not. */
function outcomeOfPhase(phase: CallPhase): CallOutcome {
  if (phase.phase === "ended")
    return outcomeOf({ status: "ended", hangup_cause: phase.cause, answered_at: phase.answered ? "yes" : null });
  return { state: phase.phase };
}

/** The live card: an answered call that has ended since shows "Ended" with its cause. */
function cardOutcome(phase: CallPhase): CallOutcome {
  return phase.phase === "ended" && phase.answered ? { state: "ended", cause: phase.cause } : outcomeOfPhase(phase);
}

/** Who a `/call` argument names: a number as typed, or a colleague by mention (their linked extension). */
type Party = { kind: "number"; number: string } | { kind: "user"; userId: string } | { kind: "name"; name: string };

/** `@alice` as typed when Slack sent no user id (not picked from the @ list, or mentions not escaped). */
const BARE_NAME = /^@[\p{L}\p{N}._-]{1,80}$/u;

function partyOf(text: string): Party | null {
  const userId = mentionedUserId(text);
  if (userId) return { kind: "user", userId };
  if (BARE_NAME.test(text)) return { kind: "name", name: text.slice(1) };
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
      BARE_NAME.test(first) ||
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
  let userId: string;
  if (party.kind === "name") {
    try {
      userId = await request.deps.userIdByName(request.client, request.identity.teamId, party.name);
    } catch (error) {
      if (error instanceof UnknownNameError) return errorReply(error.message);
      throw error;
    }
  } else userId = party.userId;
  const colleague = await request.deps.identify(request.identity.teamId, userId);
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
    if (!open(placed)) return callCard(from, to, placed, callUuid);
    // The live card (with Hang up) is posted and updated in place through the Web API; without it, the
    // ringing state goes through the response_url as a message of its own.
    const ringing = callCard(from, to, placed, callUuid, { hangUp: true });
    const card = request.client
      ? await postLiveCard(request.client, request.identity.userId, ringing, request.deps.logger)
      : null;
    if (!card) await request.update(ringing);
    const follower = await followCall({
      sql: request.deps.callFollow.sql,
      callId: callUuid,
      fallbackPollMs: request.deps.callFollow.fallbackPollMs,
      poll: () => polledPhase(request, callUuid),
      logger: request.deps.logger,
    });
    let phase: CallPhase;
    try {
      phase = await follower.waitFor((p) => p.phase === "answered" || p.phase === "ended", GIVE_UP_AFTER_MS);
    } catch (error) {
      await follower.stop();
      throw error;
    }
    const outcome = outcomeOfPhase(phase);
    if (card && phase.phase === "answered") {
      await card.update(callCard(from, to, outcome, callUuid, { hangUp: true }));
      // Turns the card to "Ended" once the call ends (hung up here, from Slack or on a phone).
      void follower
        .waitFor((p) => p.phase === "ended", FOLLOW_FOR_MS)
        .then((last) => card.update(callCard(from, to, cardOutcome(last), callUuid, { hangUp: false })))
        .catch((error: unknown) =>
          request.deps.logger.warn({ error: String(error), callUuid }, "following the call card stopped"),
        )
        .finally(() => follower.stop());
    } else {
      await follower.stop();
      if (card) await card.update(callCard(from, to, cardOutcome(phase), callUuid));
    }
    return callCard(from, to, outcome, callUuid);
  },
};

export const callCommand: SlashCommandSpec = {
  command: "/call",
  summary: "click-to-call: your phone rings, then the number you asked for",
  subcommands: [],
  fallback: call,
};
