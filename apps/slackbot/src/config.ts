import { isScope, type Scope } from "@switchboard/core";

/** Everything the bot reads from the environment, checked once at start-up. */
export interface SlackbotConfig {
  mode: "http" | "socket";
  signingSecret: string;
  botToken: string;
  appToken: string | null;
  /** Where Slack's Web API lives, with its trailing slash (`https://slack.com/api/` unless overridden). */
  apiUrl: string | null;
  port: number;
  /** Null: 127.0.0.1 on the embedded demo database, 0.0.0.0 otherwise (decided once the database is known). */
  host: string | null;
  /** User ids that always hold the admin scope, in every workspace. */
  adminUsers: ReadonlySet<string>;
  /** Binds every workspace without a row of its own to this domain (by name). */
  fixedDomainName: string | null;
  /** Scopes of a user without a row in switchboard_slack_users. */
  defaultScopes: readonly Scope[];
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const DEFAULT_SCOPES: readonly Scope[] = ["read", "calls"];

export function parseScopeList(value: string, variable: string): Scope[] {
  const scopes = value
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== "");
  for (const scope of scopes) {
    if (!isScope(scope)) throw new ConfigError(`${variable}: unknown scope '${scope}' (use read, write, calls, admin)`);
  }
  return [...new Set(scopes as Scope[])];
}

export function loadConfig(env: Record<string, string | undefined> = process.env): SlackbotConfig {
  const appToken = env.SLACK_APP_TOKEN?.trim() || null;
  const mode = appToken ? "socket" : "http";
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim() ?? "";
  const botToken = env.SLACK_BOT_TOKEN?.trim() ?? "";
  if (!botToken) throw new ConfigError("SLACK_BOT_TOKEN is not set (the app's Bot User OAuth Token, xoxb-…)");
  if (mode === "http" && !signingSecret) {
    throw new ConfigError("SLACK_SIGNING_SECRET is not set (Basic Information → App Credentials → Signing Secret)");
  }
  if (appToken && !appToken.startsWith("xapp-")) throw new ConfigError("SLACK_APP_TOKEN must be an app-level token (xapp-…)");

  const portText = env.PORT?.trim() || "3001";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT is not a port number: ${portText}`);

  let apiUrl: string | null = null;
  if (env.SLACK_API_URL?.trim()) {
    const raw = env.SLACK_API_URL.trim();
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new ConfigError(`SLACK_API_URL is not a URL: ${raw}`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new ConfigError(`SLACK_API_URL must be http(s): ${raw}`);
    apiUrl = parsed.href.endsWith("/") ? parsed.href : `${parsed.href}/`;
  }

  const adminUsers = new Set(
    (env.SLACK_ADMIN_USERS ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== ""),
  );
  for (const id of adminUsers) {
    if (!/^[UW][A-Z0-9]+$/.test(id)) throw new ConfigError(`SLACK_ADMIN_USERS: '${id}' is not a Slack user id (U… or W…)`);
  }

  return {
    mode,
    signingSecret,
    botToken,
    appToken,
    apiUrl,
    port,
    host: env.HOST?.trim() || null,
    adminUsers,
    fixedDomainName: env.SLACK_DOMAIN?.trim() || null,
    // Unset means the documented default; set but empty means nothing at all.
    defaultScopes: env.SLACK_DEFAULT_SCOPES === undefined ? DEFAULT_SCOPES : parseScopeList(env.SLACK_DEFAULT_SCOPES, "SLACK_DEFAULT_SCOPES"),
  };
}
