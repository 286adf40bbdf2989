import { readFile } from "node:fs/promises";
import type { SwitchEndpoint } from "./esl-switch.ts";

/** Where a setting came from, first match wins per setting. */
export type SwitchConfigSource = "ESL_HOSTS" | "env" | "config.conf" | "v_settings" | "default";

export interface ResolvedSwitchConfig {
  switches: Array<SwitchEndpoint & { name: string }>;
  /** Where the host (list) came from. */
  source: SwitchConfigSource;
  /** Where each setting came from. */
  sources: { host: SwitchConfigSource; port: SwitchConfigSource; password: SwitchConfigSource };
  /** The FusionPBX config file read, if any. */
  configFile: string | null;
  /** Sources that could not be read (a present but unreadable file, a failing query). */
  warnings: string[];
}

/** Anything that can run a raw query and hand back rows: porsager's `sql` qualifies. */
export interface SqlHandle {
  unsafe(query: string): PromiseLike<ReadonlyArray<Record<string, unknown>>>;
}

export interface ResolveSwitchConfigOptions {
  env?: Record<string, string | undefined>;
  sql?: SqlHandle;
  /** Config files to try in order. Default: `FUSIONPBX_CONFIG`, else /etc/fusionpbx/config.conf, /usr/local/etc/fusionpbx/config.conf. */
  configFiles?: string[];
}

export const DEFAULT_SWITCH: SwitchEndpoint = { host: "127.0.0.1", port: 8021, password: "ClueCon" };

const HOSTNAME =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;

export class SwitchConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SwitchConfigError";
  }
}

function parseHost(host: string, origin: string): string {
  const trimmed = host.trim();
  const unbracketed = trimmed.startsWith("[") && trimmed.endsWith("]") ? trimmed.slice(1, -1) : trimmed;
  if (HOSTNAME.test(unbracketed) || (unbracketed.includes(":") && IPV6.test(unbracketed))) return unbracketed;
  throw new SwitchConfigError(`${origin}: '${host}' is not a host name or IP address`);
}

function parsePort(port: string, origin: string): number {
  const trimmed = port.trim();
  const value = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || value < 1 || value > 65535) {
    throw new SwitchConfigError(`${origin}: '${port}' is not a TCP port (1-65535)`);
  }
  return value;
}

function checkPassword(password: string, origin: string): string {
  if (/[\r\n\0]/.test(password)) throw new SwitchConfigError(`${origin}: the password contains a line break`);
  return password;
}

/** `host:port[,host:port…]`; IPv6 as `[::1]:8021`; a missing port is 8021. */
export function parseHostList(list: string, origin = "ESL_HOSTS"): Array<{ host: string; port: number }> {
  const entries = list
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new SwitchConfigError(`${origin} is empty`);
  return entries.map((entry) => {
    const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
    if (bracketed) return { host: parseHost(bracketed[1]!, origin), port: parsePort(bracketed[2] ?? "8021", origin) };
    const colons = entry.split(":").length - 1;
    if (colons === 1) {
      const [host, port] = entry.split(":") as [string, string];
      return { host: parseHost(host, origin), port: parsePort(port, origin) };
    }
    return { host: parseHost(entry, origin), port: 8021 };
  });
}

/** FusionPBX's config.conf: `key = value` lines, `#` and `;` comments. */
export function parseConfigConf(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    let value = line.slice(eq + 1).trim();
    if (
      value.length >= 2 &&
      ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))
    ) {
      value = value.slice(1, -1);
    }
    values.set(line.slice(0, eq).trim(), value);
  }
  return values;
}

interface Partial3 {
  host?: string;
  port?: string;
  password?: string;
}

async function fromConfigFile(files: string[], warnings: string[]): Promise<{ file: string | null; values: Partial3 }> {
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") warnings.push(`${file}: ${code ?? (error as Error).message}`);
      continue;
    }
    const conf = parseConfigConf(text);
    const pick = (key: string, old: string) => {
      const value = conf.get(`switch.event_socket.${key}`) ?? conf.get(`event_socket.${old}`);
      return value === undefined || value === "" ? undefined : value;
    };
    return {
      file,
      values: { host: pick("host", "ip_address"), port: pick("port", "port"), password: pick("password", "password") },
    };
  }
  return { file: null, values: {} };
}

async function fromSettingsTable(sql: SqlHandle | undefined, warnings: string[]): Promise<Partial3> {
  if (!sql) return {};
  try {
    const exists = await sql.unsafe("select to_regclass('public.v_settings') is not null as present");
    if (exists[0]?.["present"] !== true) return {};
    const rows = await sql.unsafe(
      "select event_socket_ip_address, event_socket_port, event_socket_password from public.v_settings limit 1",
    );
    const row = rows[0];
    if (!row) return {};
    const text = (value: unknown) =>
      value === null || value === undefined || String(value).trim() === "" ? undefined : String(value).trim();
    return {
      host: text(row["event_socket_ip_address"]),
      port: text(row["event_socket_port"]),
      password:
        row["event_socket_password"] === null || row["event_socket_password"] === ""
          ? undefined
          : String(row["event_socket_password"] ?? ""),
    };
  } catch (error) {
    warnings.push(`v_settings: ${(error as Error).message}`);
    return {};
  }
}

/**
 * Where the event socket is, first match wins per setting: `ESL_HOSTS` (a list; it wins over
 * `ESL_HOST`) / `ESL_HOST`, `ESL_PORT`, `ESL_PASSWORD`; then FusionPBX's config.conf
 * (`switch.event_socket.*`, old keys `event_socket.*`); then the 5.1 `v_settings` row; then
 * 127.0.0.1:8021 / ClueCon. Invalid values throw SwitchConfigError.
 */
export async function resolveSwitchConfig(options: ResolveSwitchConfigOptions = {}): Promise<ResolvedSwitchConfig> {
  const env = options.env ?? process.env;
  const warnings: string[] = [];
  const nonEmpty = (value: string | undefined) => (value === undefined || value.trim() === "" ? undefined : value);
  const files =
    options.configFiles ??
    (nonEmpty(env["FUSIONPBX_CONFIG"])
      ? [env["FUSIONPBX_CONFIG"]!]
      : ["/etc/fusionpbx/config.conf", "/usr/local/etc/fusionpbx/config.conf"]);
  const file = await fromConfigFile(files, warnings);
  const table = await fromSettingsTable(options.sql, warnings);

  const layers: Array<[SwitchConfigSource, Partial3]> = [
    [
      "env",
      { host: nonEmpty(env["ESL_HOST"]), port: nonEmpty(env["ESL_PORT"]), password: env["ESL_PASSWORD"] || undefined },
    ],
    ["config.conf", file.values],
    ["v_settings", table],
    ["default", { host: DEFAULT_SWITCH.host, port: String(DEFAULT_SWITCH.port), password: DEFAULT_SWITCH.password }],
  ];
  const pick = (key: keyof Partial3): [SwitchConfigSource, string] => {
    for (const [source, values] of layers) {
      const value = values[key];
      if (value !== undefined) return [source, value];
    }
    return ["default", String(DEFAULT_SWITCH[key])];
  };
  const [passwordSource, password] = pick("password");
  checkPassword(password, passwordSource);

  const list = nonEmpty(env["ESL_HOSTS"]);
  if (list) {
    const switches = parseHostList(list).map(({ host, port }) => ({
      host,
      port,
      password,
      name: `${host.includes(":") ? `[${host}]` : host}:${port}`,
    }));
    return {
      switches,
      source: "ESL_HOSTS",
      sources: { host: "ESL_HOSTS", port: "ESL_HOSTS", password: passwordSource },
      configFile: file.file,
      warnings,
    };
  }

  const [hostSource, hostText] = pick("host");
  const [portSource, portText] = pick("port");
  const host = parseHost(hostText, hostSource);
  const port = parsePort(portText, portSource);
  return {
    switches: [{ host, port, password, name: `${host.includes(":") ? `[${host}]` : host}:${port}` }],
    source: hostSource,
    sources: { host: hostSource, port: portSource, password: passwordSource },
    configFile: file.file,
    warnings,
  };
}
