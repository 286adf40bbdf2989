import { z } from "zod";

/** A setting the process cannot start with: one line naming the variable and what a valid value looks like. */
export class SettingsError extends Error {
  override name = "SettingsError";
}

type Env = Record<string, string | undefined>;

/** An unset or blank variable reads as absent. */
const text = () =>
  z.preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined),
    z.string().optional(),
  );

/** An integer variable from `min` to `max`, `fallback` when unset. */
export function integerSetting(fallback: number, min: number, max: number) {
  return text().transform((raw, ctx) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      ctx.addIssue({ code: "custom", message: `must be an integer from ${min} to ${max}, got '${raw}'` });
      return z.NEVER;
    }
    return value;
  });
}

/** A text variable, null when unset or blank. */
export function optionalSetting() {
  return text().transform((raw) => raw ?? null);
}

/** `1`/`true`/`yes` (any case) is on; unset, `0`, `false`, `no` is off; anything else is refused. */
export function flagSetting() {
  return text().transform((raw, ctx) => {
    if (raw === undefined) return false;
    const lower = raw.toLowerCase();
    if (["1", "true", "yes", "on"].includes(lower)) return true;
    if (["0", "false", "no", "off"].includes(lower)) return false;
    ctx.addIssue({ code: "custom", message: `must be 1 or 0, got '${raw}'` });
    return z.NEVER;
  });
}

/** An absolute http(s) URL without query or fragment, normalised without a trailing slash; null when unset. */
export function urlSetting() {
  return text().transform((raw, ctx) => {
    if (raw === undefined) return null;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      ctx.addIssue({
        code: "custom",
        message: `must be an absolute http(s) URL such as https://pbx.example.com, got '${raw}'`,
      });
      return z.NEVER;
    }
    if (
      (url.protocol !== "http:" && url.protocol !== "https:") ||
      url.search ||
      url.hash ||
      url.username ||
      url.password
    ) {
      ctx.addIssue({
        code: "custom",
        message: `must be an http(s) URL without credentials, query or fragment, got '${raw}'`,
      });
      return z.NEVER;
    }
    return url.href.replace(/\/+$/, "");
  });
}

/** Parses the environment with an app's settings schema; the first problem becomes a SettingsError. */
export function parseSettings<S extends z.ZodType>(
  schema: S,
  env: Env,
  ErrorClass: new (message: string) => Error = SettingsError,
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = issue.path.map(String).join(".");
  throw new ErrorClass(name ? `${name} ${issue.message}` : issue.message);
}

/** LOG_LEVEL: a pino level name, `info` when unset. */
export function logLevelSetting() {
  return z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info");
}
