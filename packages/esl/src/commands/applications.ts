import { UnsafeCommandValueError } from "../errors.ts";
import { checkContext, checkDialable, requireMatch } from "./escape.ts";
import type { Endpoint } from "./endpoints.ts";
import { type ChannelVariables, variableBlock } from "./variables.ts";

/** The `&app(args)` part of an originate, built from validated parts. */
export class Application {
  private constructor(readonly text: string) {}
  static unsafeFromValidated(text: string): Application {
    return new Application(text);
  }
  toString(): string {
    return this.text;
  }
}

/** `&bridge({vars}<endpoint>)`. */
export function bridgeApp(endpoint: Endpoint, variables: ChannelVariables = {}): Application {
  return Application.unsafeFromValidated(`&bridge(${variableBlock(variables)}${endpoint.text})`);
}

/** `&transfer('<number> XML <context>')`: the quotes keep the three words together and are removed by FreeSWITCH. */
export function transferApp(number: string, dialplanContext: string, dialplan = "XML"): Application {
  const plan = requireMatch("dialplan", dialplan, /^[A-Za-z]{1,16}$/, "a dialplan name such as XML");
  return Application.unsafeFromValidated(
    `&transfer('${checkDialable("number", number)} ${plan} ${checkContext("context", dialplanContext)}')`,
  );
}

const SOUND = /^(?:[a-z_]+:\/\/)?\/?[A-Za-z0-9_\-.]+(?:\/[A-Za-z0-9_\-.]+)*$/;

/** `&playback(<file>)`: a sound path or URL-like stream (`local_stream://moh`); no `..`, no `${…}`, no spaces. */
export function playbackApp(file: string): Application {
  requireMatch("file", file, SOUND, "a sound file path such as ivr/ivr-welcome.wav or local_stream://moh");
  if (file.split("/").includes("..")) throw new UnsafeCommandValueError("file", "must not contain '..'");
  return Application.unsafeFromValidated(`&playback(${file})`);
}

/** `&park`. */
export function parkApp(): Application {
  return Application.unsafeFromValidated("&park");
}
