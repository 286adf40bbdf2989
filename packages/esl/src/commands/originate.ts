import { UnsafeCommandValueError } from "../errors.ts";
import { Application } from "./applications.ts";
import type { Endpoint } from "./endpoints.ts";
import { checkContext, checkDialable, requireMatch, safeText } from "./escape.ts";
import { type ChannelVariables, variableBlock } from "./variables.ts";

export interface OriginateOptions {
  /** `{…}` variables for every leg, e.g. `origination_uuid`, `origination_caller_id_number`, `ignore_early_media`. */
  variables?: ChannelVariables;
  endpoint: Endpoint;
  /** What the answered leg does: an application (`bridgeApp`, `transferApp`, `playbackApp`, `parkApp`) or an extension in a dialplan. */
  action: Application | { extension: string; context: string; dialplan?: string };
  callerIdName?: string;
  callerIdNumber?: string;
  /** Seconds before NO_ANSWER; FreeSWITCH's default is 60. */
  timeoutSec?: number;
}

/**
 * The argument string of `api`/`bgapi`: `originate {vars}<endpoint> <app|exten> [dialplan] [context] [cid_name] [cid_num] [timeout]`.
 * Every part comes from a validating builder, so the result is exactly seven space-separated
 * FreeSWITCH arguments at most and has no line break.
 */
export function originateCommand(options: OriginateOptions): string {
  if (!options.endpoint || typeof options.endpoint.text !== "string") {
    throw new UnsafeCommandValueError("endpoint", "must be built with an endpoint builder");
  }
  const args = [`${variableBlock(options.variables ?? {})}${options.endpoint.text}`];
  if (options.action instanceof Application) {
    args.push(options.action.text, "undef", "undef");
  } else {
    const dialplan = requireMatch(
      "dialplan",
      options.action.dialplan ?? "XML",
      /^[A-Za-z]{1,16}$/,
      "a dialplan name such as XML",
    );
    args.push(
      checkDialable("extension", options.action.extension),
      dialplan,
      checkContext("context", options.action.context),
    );
  }
  args.push(
    options.callerIdName === undefined ? "undef" : safeText("caller id name", options.callerIdName),
    options.callerIdNumber === undefined ? "undef" : checkDialable("caller id number", options.callerIdNumber),
  );
  if (options.timeoutSec !== undefined) {
    if (!Number.isInteger(options.timeoutSec) || options.timeoutSec < 1 || options.timeoutSec > 3600) {
      throw new UnsafeCommandValueError("timeout", "must be whole seconds between 1 and 3600");
    }
    args.push(String(options.timeoutSec));
  }
  while (args.length > 2 && args[args.length - 1] === "undef") args.pop();
  return `originate ${args.join(" ")}`;
}
