import { readFileSync } from "node:fs";
import { DatabaseConfigError } from "./errors.ts";
import { defaultEmbeddedDataDir } from "./paths.ts";

export type Env = Record<string, string | undefined>;

export type DatabaseSource = "DATABASE_URL" | "config.conf" | "embedded";

export interface DatabaseConfig {
  source: DatabaseSource;
  /** Connection URL for DATABASE_URL and config.conf; absent for the embedded default. */
  url?: string;
  /** What was chosen and what was tried before it, password hidden. */
  description: string;
  /** The config.conf file read, when source is config.conf. */
  configPath?: string;
  /** The embedded data directory, when source is embedded. */
  dataDir?: string;
}

/** Where FusionPBX itself looks (resources/classes/config.php), in its order. */
export const FUSIONPBX_CONFIG_PATHS = ["/etc/fusionpbx/config.conf", "/usr/local/etc/fusionpbx/config.conf"] as const;

/**
 * Parses FusionPBX's config.conf, which FusionPBX reads with PHP's parse_ini_file: `key = value` lines,
 * `;` and `#` comment lines, `[section]` lines ignored, values optionally in single or double quotes,
 * an unquoted value ends at `;`.
 */
export function parseFusionpbxConfig(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith(";") || line.startsWith("#") || line.startsWith("[")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.indexOf(quote, 1) > 0) {
      value = value.slice(1, value.indexOf(quote, 1));
    } else {
      const comment = value.indexOf(";");
      if (comment >= 0) value = value.slice(0, comment).trim();
    }
    values.set(key, value);
  }
  return values;
}

/** A URL with its password replaced by `***`, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "<unparseable URL>";
  }
}

const SSL_MODES = new Set(["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]);

/** Checks a DATABASE_URL and returns it unchanged, or throws a one-line DatabaseConfigError. */
export function validateDatabaseUrl(url: string, origin = "DATABASE_URL"): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseConfigError(`${origin} is not a valid URL; expected postgres://user:password@host:port/database`);
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new DatabaseConfigError(
      `${origin} must start with postgres:// or postgresql:// (got ${parsed.protocol}//); expected postgres://user:password@host:port/database`,
    );
  }
  if (!parsed.hostname) {
    throw new DatabaseConfigError(`${origin} has no host; expected postgres://user:password@host:port/database`);
  }
  if (parsed.port && !/^\d+$/.test(parsed.port)) {
    throw new DatabaseConfigError(`${origin} has an invalid port "${parsed.port}"`);
  }
  const sslmode = parsed.searchParams.get("sslmode");
  if (sslmode !== null && !SSL_MODES.has(sslmode)) {
    throw new DatabaseConfigError(`${origin} has an unknown sslmode "${sslmode}"`);
  }
  return url;
}

/** Builds a connection URL from config.conf's database.0.* keys. */
export function urlFromFusionpbxConfig(values: Map<string, string>, path: string): string {
  const type = values.get("database.0.type");
  if (type && type !== "pgsql") {
    throw new DatabaseConfigError(`${path}: database.0.type is "${type}"; Switchboard needs PostgreSQL (pgsql)`);
  }
  const host = values.get("database.0.host") || "127.0.0.1";
  if (host.startsWith("/")) {
    throw new DatabaseConfigError(
      `${path}: database.0.host is a socket directory (${host}); set DATABASE_URL to a TCP address instead`,
    );
  }
  const port = values.get("database.0.port") || "5432";
  if (!/^\d+$/.test(port)) throw new DatabaseConfigError(`${path}: database.0.port "${port}" is not a number`);
  const name = values.get("database.0.name") || "fusionpbx";
  const username = values.get("database.0.username") || "fusionpbx";
  const password = values.get("database.0.password") ?? "";
  const sslmode = values.get("database.0.sslmode");
  if (sslmode && !SSL_MODES.has(sslmode)) {
    throw new DatabaseConfigError(`${path}: database.0.sslmode "${sslmode}" is not a PostgreSQL sslmode`);
  }
  const hostPart = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  const auth = `${encodeURIComponent(username)}${password ? `:${encodeURIComponent(password)}` : ""}`;
  const query = sslmode ? `?sslmode=${encodeURIComponent(sslmode)}` : "";
  return `postgres://${auth}@${hostPart}:${port}/${encodeURIComponent(name)}${query}`;
}

function readConfigFile(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    const reason =
      code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a directory" : (code ?? String(err));
    throw new DatabaseConfigError(
      `cannot read FusionPBX config ${path}: ${reason} (run as a user that can read it, or set DATABASE_URL)`,
    );
  }
}

export interface ResolveOptions {
  /** Files to look for when FUSIONPBX_CONFIG is unset; FusionPBX's own locations by default. */
  configPaths?: readonly string[];
}

/**
 * Decides which database to use, first match wins: DATABASE_URL; else FusionPBX's config.conf (the
 * file named by FUSIONPBX_CONFIG, which must then exist, or FusionPBX's standard locations); else the
 * embedded PostgreSQL default.
 */
export function resolveDatabaseConfig(env: Env = process.env, options: ResolveOptions = {}): DatabaseConfig {
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl) {
    validateDatabaseUrl(databaseUrl);
    return { source: "DATABASE_URL", url: databaseUrl, description: `DATABASE_URL ${redactUrl(databaseUrl)}` };
  }

  const explicit = env.FUSIONPBX_CONFIG?.trim();
  const candidates = explicit ? [explicit] : [...(options.configPaths ?? FUSIONPBX_CONFIG_PATHS)];
  for (const path of candidates) {
    const text = readConfigFile(path);
    if (text === null) {
      if (explicit) throw new DatabaseConfigError(`FUSIONPBX_CONFIG names ${path}, which does not exist`);
      continue;
    }
    const url = urlFromFusionpbxConfig(parseFusionpbxConfig(text), path);
    validateDatabaseUrl(url, path);
    return {
      source: "config.conf",
      url,
      configPath: path,
      description: `FusionPBX config ${path} (${redactUrl(url)}); DATABASE_URL unset`,
    };
  }

  const dataDir = defaultEmbeddedDataDir(env);
  return {
    source: "embedded",
    dataDir,
    description: `embedded PostgreSQL at ${dataDir} (DATABASE_URL unset${candidates.length ? `, no FusionPBX config at ${candidates.join(" or ")}` : ""})`,
  };
}
