import { UnsafeCommandValueError } from "../errors.ts";
import { requireMatch, safeText, VARIABLE_NAME_PATTERN } from "./escape.ts";

export type ChannelVariables = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * `{name=value,…}` with every name checked and every value passed through safeText, so no value
 * can close the block, add a variable (`,`), quote, or reach a second leg or command. Empty → "".
 */
export function variableBlock(variables: ChannelVariables): string {
  const parts: string[] = [];
  for (const [name, raw] of Object.entries(variables)) {
    if (raw === undefined) continue;
    requireMatch("channel variable name", name, VARIABLE_NAME_PATTERN, "letters, digits and _");
    if (typeof raw === "number" && !Number.isFinite(raw))
      throw new UnsafeCommandValueError(name, "is not a finite number");
    parts.push(`${name}=${safeText(name, String(raw))}`);
  }
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}
