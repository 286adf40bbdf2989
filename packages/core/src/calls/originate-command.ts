import { phpRawUrlEncode } from "../legacy/php.ts";
import { DIAL_NUMBER, SOUNDS_DIR, dialplanContext, isAllowedPlaybackFile } from "./dial-values.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface CallerId {
  number: string;
  /** Sent rawurlencoded, as the original did (callees see `John%20Smith`). */
  name?: string | undefined;
}

function assertNumber(value: string, what: string): string {
  if (!DIAL_NUMBER.test(value)) throw new Error(`refusing unsafe ${what} in a dial string: ${JSON.stringify(value)}`);
  return value;
}

/** The original's channel variables (docs/original-api.md §5.8 step 3), checked again as a last line of defence. */
export function originateVariables(callerId: CallerId): string {
  let vars = `ignore_early_media=true,originate_timeout=30,effective_caller_id_number=${assertNumber(callerId.number, "caller id number")}`;
  if (callerId.name) vars += `,effective_caller_id_name=${phpRawUrlEncode(callerId.name)}`;
  return vars;
}

function withOriginationUuid(vars: string, originationUuid: string | undefined): string {
  if (originationUuid === undefined) return vars;
  if (!UUID.test(originationUuid)) throw new Error("refusing a malformed origination_uuid");
  return `origination_uuid=${originationUuid},${vars}`;
}

function loopback(number: string, context: string): string {
  return `loopback/${assertNumber(number, "number")}/${dialplanContext(context)}`;
}

export interface BridgeCall {
  callerId: CallerId;
  /** Rings first (the original's `destination_b`). */
  ringFirst: string;
  /** Bridged to once the first number answers (the original's `destination_a`). */
  connectTo: string;
  /** The domain name: both loopback legs run in the domain's dialplan context. */
  context: string;
  /** Pre-set uuid of the first leg; only the outer block gets it, the bridged leg keeps its own. */
  originationUuid?: string;
}

/**
 * The argument string of `originate`. Without `originationUuid` it is byte for byte the original's:
 * `{<vars>}loopback/<b>/<domain> '&bridge({<vars>}loopback/<a>/<domain>)'`.
 */
export function bridgeOriginateCommand(call: BridgeCall): string {
  const vars = originateVariables(call.callerId);
  const outer = withOriginationUuid(vars, call.originationUuid);
  return `originate {${outer}}${loopback(call.ringFirst, call.context)} '&bridge({${vars}}${loopback(call.connectTo, call.context)})'`;
}

export interface PlaybackCall {
  callerId: CallerId;
  number: string;
  context: string;
  file: string;
  originationUuid?: string;
}

/**
 * `originate-playback-file` without the settings.json gateway it once needed: the number is rung through
 * loopback in the domain's context (so the domain's own routes apply) and the file plays when it answers.
 */
export function playbackOriginateCommand(call: PlaybackCall): string {
  if (!isAllowedPlaybackFile(call.file)) throw new Error(`refusing a playback file outside ${SOUNDS_DIR} or http(s)`);
  const outer = withOriginationUuid(originateVariables(call.callerId), call.originationUuid);
  return `originate {${outer}}${loopback(call.number, call.context)} '&playback(${call.file})'`;
}

export type OriginateReply = { ok: true; callUuid: string } | { ok: false; cause: string };

/**
 * The original's reading of an originate reply (docs/original-api.md §5.8 step 5): split at the first space; `+OK` is success
 * with the rest as the uuid, anything else is a failure whose cause we keep for the typed faces.
 */
export function parseOriginateReply(reply: string): OriginateReply {
  const text = reply.trim();
  const space = text.indexOf(" ");
  const head = space < 0 ? text : text.slice(0, space);
  const rest = space < 0 ? "" : text.slice(space + 1).trim();
  if (head === "+OK") return { ok: true, callUuid: rest };
  const cause = text.replace(/^-(ERR|USAGE:?)\s*/, "").trim();
  return { ok: false, cause: cause || "UNKNOWN" };
}
