import { parseTrustedProxies, type TrustedProxies } from "./middleware/client-address.ts";

export interface ServerSettings {
  port: number;
  /** Explicit HOST, or null to decide after connecting (loopback for the embedded demo, 0.0.0.0 otherwise). */
  host: string | null;
  requirePolicy: boolean;
  maxBodyBytes: number;
  trustedProxies: TrustedProxies;
}

export class SettingsError extends Error {
  override name = "SettingsError";
}

function integer(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) throw new SettingsError(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  return value;
}

export function readSettings(env: Record<string, string | undefined> = process.env): ServerSettings {
  return {
    port: integer(env, "PORT", 3000, 0, 65535),
    host: env.HOST?.trim() || null,
    requirePolicy: env.SWITCHBOARD_REQUIRE_POLICY === "1",
    maxBodyBytes: integer(env, "SWITCHBOARD_MAX_BODY_BYTES", 1024 * 1024, 1024, 100 * 1024 * 1024),
    trustedProxies: parseTrustedProxies(env.TRUSTED_PROXIES),
  };
}

/** HOST default: the embedded demo (with its well-known demo key) is only ever reachable from this machine. */
export function defaultHost(embedded: boolean): string {
  return embedded ? "127.0.0.1" : "0.0.0.0";
}
