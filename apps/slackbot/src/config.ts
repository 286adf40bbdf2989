import type { Scope } from "@switchboard/core";
import { integerSetting, logLevelSetting, optionalSetting, parseSettings } from "@switchboard/runtime";
import { z } from "zod";
import { isSlackScope, SLACK_SCOPES } from "./admin/slack-scopes.ts";

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const DEFAULT_SCOPES: readonly Scope[] = ["read", "calls"];

const list = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

/** Every Slack app setting read from the environment, checked once at start-up. */
export const slackSettingsSchema = z
  .object({
    SLACK_BOT_TOKEN: optionalSetting().refine((v) => v !== null, "is not set (the app's Bot User OAuth Token, xoxb-…)"),
    SLACK_SIGNING_SECRET: optionalSetting(),
    SLACK_APP_TOKEN: optionalSetting().refine(
      (v) => v === null || v.startsWith("xapp-"),
      "must be an app-level token (xapp-…)",
    ),
    SLACK_API_URL: optionalSetting().transform((raw, ctx) => {
      if (raw === null) return null;
      let parsed: URL;
      try {
        parsed = new URL(raw);
      } catch {
        ctx.addIssue({ code: "custom", message: `is not a URL: ${raw}` });
        return z.NEVER;
      }
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
        ctx.addIssue({ code: "custom", message: `must be http(s): ${raw}` });
        return z.NEVER;
      }
      return parsed.href.endsWith("/") ? parsed.href : `${parsed.href}/`;
    }),
    PORT: integerSetting(3001, 0, 65535),
    HOST: optionalSetting(),
    SLACK_ADMIN_USERS: z
      .string()
      .optional()
      .transform((raw, ctx) => {
        const ids = list(raw);
        const bad = ids.find((id) => !/^[UW][A-Z0-9]+$/.test(id));
        if (bad) {
          ctx.addIssue({ code: "custom", message: `has '${bad}', which is not a Slack user id (U… or W…)` });
          return z.NEVER;
        }
        return new Set(ids) as ReadonlySet<string>;
      }),
    SLACK_DOMAIN: optionalSetting(),
    SLACK_TEAM_DOMAINS: z
      .string()
      .optional()
      .transform((raw, ctx) => {
        const map = new Map<string, string>();
        for (const entry of list(raw)) {
          const [team, domain, ...rest] = entry.split(":").map((s) => s.trim());
          if (!team || !domain || rest.length > 0 || !/^[TE][A-Z0-9]+$/.test(team)) {
            ctx.addIssue({
              code: "custom",
              message: `has '${entry}', which is not <team id>:<domain name> (for example T0123ABCD:pbx.example.com)`,
            });
            return z.NEVER;
          }
          if (map.has(team)) {
            ctx.addIssue({ code: "custom", message: `lists workspace ${team} twice` });
            return z.NEVER;
          }
          map.set(team, domain.toLowerCase());
        }
        return map as ReadonlyMap<string, string>;
      }),
    // Unset means the documented default; set but empty means nothing at all.
    SLACK_DEFAULT_SCOPES: z
      .string()
      .optional()
      .transform((raw, ctx) => {
        if (raw === undefined) return DEFAULT_SCOPES;
        const unknown = list(raw.toLowerCase()).find((s) => !isSlackScope(s));
        if (unknown) {
          ctx.addIssue({
            code: "custom",
            message: `has the unknown scope '${unknown}' (use ${SLACK_SCOPES.join(", ")})`,
          });
          return z.NEVER;
        }
        return [...new Set(list(raw.toLowerCase()) as Scope[])] as readonly Scope[];
      }),
    // How often /call's card asks call-status when no event of its call arrives (runtime/call-follow.ts).
    SLACK_CALL_POLL_MS: z.coerce
      .number({ error: "is a number of milliseconds, like 10000" })
      .int({ error: "is a number of milliseconds, like 10000" })
      .min(100, { error: "is at least 100 (milliseconds)" })
      .default(10_000),
    LOG_LEVEL: logLevelSetting(),
  })
  .superRefine((env, ctx) => {
    if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_SIGNING_SECRET"],
        message: "is not set (Basic Information → App Credentials → Signing Secret)",
      });
    }
  })
  .transform((env) => ({
    mode: (env.SLACK_APP_TOKEN ? "socket" : "http") as "http" | "socket",
    signingSecret: env.SLACK_SIGNING_SECRET ?? "",
    botToken: env.SLACK_BOT_TOKEN ?? "",
    appToken: env.SLACK_APP_TOKEN,
    /** Where Slack's Web API lives, with its trailing slash (`https://slack.com/api/` unless overridden). */
    apiUrl: env.SLACK_API_URL,
    port: env.PORT,
    /** Null: 127.0.0.1 on the embedded demo database, 0.0.0.0 otherwise (decided once the database is known). */
    host: env.HOST,
    /** User ids that always hold the admin scope, in every workspace. */
    adminUsers: env.SLACK_ADMIN_USERS,
    /** The operator's binding of every workspace not listed in `teamDomains` (SLACK_DOMAIN, a domain name). */
    fixedDomainName: env.SLACK_DOMAIN,
    /** The operator's per-workspace binding (SLACK_TEAM_DOMAINS): team id → domain name. */
    teamDomains: env.SLACK_TEAM_DOMAINS,
    /** Scopes of a user without a row in switchboard_slack_users. */
    defaultScopes: env.SLACK_DEFAULT_SCOPES,
    /** The call card's fallback poll of call-status, when no event of the call arrives (SLACK_CALL_POLL_MS). */
    callFallbackPollMs: env.SLACK_CALL_POLL_MS,
    logLevel: env.LOG_LEVEL,
  }));

export type SlackbotConfig = z.output<typeof slackSettingsSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): SlackbotConfig {
  return parseSettings(slackSettingsSchema, env, ConfigError);
}
