import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import { badRequest } from "../errors.ts";

/**
 * Where a playback URL may point. FreeSWITCH fetches the URL itself, from inside the operator's network, so
 * by default only public addresses are allowed: never loopback (the event socket, the API itself), private,
 * link-local (169.254.169.254, a cloud's metadata service), carrier-grade NAT, multicast or reserved ranges.
 * `PLAYBACK_URL_ALLOW` lists exceptions an operator trusts: host names (`media.internal`) or address ranges
 * (`10.0.5.0/24`, `192.168.1.10`), separated by commas.
 */
export interface PlaybackUrlPolicy {
  allow: readonly string[];
  /** Host name to addresses; the system resolver unless a test gives its own. */
  resolve?: (host: string) => Promise<string[]>;
}

const RESOLVE_TIMEOUT_MS = 3_000;

export function playbackUrlPolicy(env: Record<string, string | undefined> = process.env): PlaybackUrlPolicy {
  const allow = (env.PLAYBACK_URL_ALLOW ?? "")
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  return { allow };
}

async function systemResolve(host: string): Promise<string[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), RESOLVE_TIMEOUT_MS);
  });
  try {
    const found = await Promise.race([lookup(host, { all: true, verbatim: true }), timeout]);
    return found.map((a) => a.address);
  } finally {
    clearTimeout(timer);
  }
}

function inAllowedRange(address: ipaddr.IPv4 | ipaddr.IPv6, allow: readonly string[]): boolean {
  for (const entry of allow) {
    try {
      const [range, bits] = entry.includes("/") ? ipaddr.parseCIDR(entry) : [ipaddr.process(entry), -1];
      const prefix = bits === -1 ? (range.kind() === "ipv4" ? 32 : 128) : bits;
      if (range.kind() === address.kind() && address.match(range as never, prefix)) return true;
    } catch {
      // A host name entry: matched on the name, not here.
    }
  }
  return false;
}

const refused = (reason: string) =>
  badRequest(`file: ${reason}; an operator can allow it with PLAYBACK_URL_ALLOW`, {
    field: "file",
    legacyBody: { error: "invalid parameter: file" },
  });

/**
 * Throws a 400 naming `file` when an http(s) playback URL points at an address FreeSWITCH must not fetch
 * from: its host is resolved, and every address it resolves to must be public or in the allow-list.
 */
export async function assertPlaybackUrlAllowed(
  file: string,
  policy: PlaybackUrlPolicy = playbackUrlPolicy(),
): Promise<void> {
  if (!/^https?:\/\//i.test(file)) return;
  const host = new URL(file).hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (policy.allow.includes(host)) return;
  let addresses: string[];
  if (ipaddr.isValid(host)) {
    addresses = [host];
  } else {
    try {
      addresses = await (policy.resolve ?? systemResolve)(host);
    } catch {
      throw refused(`the host ${host} of the URL could not be resolved`);
    }
    if (addresses.length === 0) throw refused(`the host ${host} of the URL could not be resolved`);
  }
  for (const text of addresses) {
    const address = ipaddr.process(text);
    const range = address.range();
    if (range !== "unicast" && !inAllowedRange(address, policy.allow)) {
      throw refused(
        `the URL points at a ${range} address (${address.toString()}), which FreeSWITCH may not fetch from`,
      );
    }
  }
}
