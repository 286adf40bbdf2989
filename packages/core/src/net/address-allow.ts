import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";

/**
 * Where Switchboard (or FreeSWITCH on its behalf) may connect to: public unicast addresses, plus what the
 * operator allows in a setting such as PLAYBACK_URL_ALLOW or WEBHOOK_URL_ALLOW — host names
 * (`media.internal`) or address ranges (`10.0.5.0/24`, `192.168.1.10`), separated by commas. Never by
 * default: loopback (the event socket, the API itself), private, link-local (169.254.169.254, a cloud's
 * metadata service), carrier-grade NAT, multicast or reserved ranges.
 */
export function parseAllowList(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
}

const RESOLVE_TIMEOUT_MS = 3_000;

/** Every address a host name resolves to, within 3 s. */
export async function systemResolve(host: string): Promise<string[]> {
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

/** Null when `text` (an address) may be reached; else why not, e.g. "a loopback address (127.0.0.1)". */
export function addressRefusal(text: string, allow: readonly string[]): string | null {
  const address = ipaddr.process(text);
  const range = address.range();
  if (range === "unicast" || inAllowedRange(address, allow)) return null;
  return `a ${range} address (${address.toString()})`;
}

/** A URL's host without IPv6 brackets, lower-case. */
export function urlHost(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
}

export const isIpAddress = (host: string): boolean => ipaddr.isValid(host);
