import type { Context, MiddlewareHandler } from "hono";
import ipaddr from "ipaddr.js";
import type { AppEnv } from "../env.ts";

interface BunServerLike {
  requestIP?: (request: Request) => { address: string } | null;
}
interface NodeBindingsLike {
  incoming?: { socket?: { remoteAddress?: string } };
}

/**
 * The peer address from the server the app runs in: Bun passes its server as the fetch `env`,
 * @hono/node-server passes `{ incoming }`.
 */
export function peerAddress(env: unknown, request: Request): string {
  const bun = env as BunServerLike | undefined;
  if (typeof bun?.requestIP === "function") {
    const ip = bun.requestIP(request);
    if (ip?.address) return ip.address;
  }
  const node = env as NodeBindingsLike | undefined;
  return node?.incoming?.socket?.remoteAddress ?? "unknown";
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** The proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`); empty means no proxy is trusted. */
export interface TrustedProxies {
  /** What was configured, for messages. */
  readonly entries: readonly string[];
  has(address: string): boolean;
}

export class TrustedProxiesError extends Error {
  override name = "TrustedProxiesError";
}

/** An address as one form: IPv4-mapped IPv6 (`::ffff:10.0.0.1`) becomes IPv4. Null when it is no address. */
function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const bare = text.trim().replace(/^\[(.*)\]$/, "$1");
  // Only dotted quads for IPv4: ipaddr.js would also take shorthands like 127.1 or 0x7f.0.0.1.
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  if (!ipaddr.IPv6.isValid(bare)) return null;
  return ipaddr.process(bare);
}

function parseRange(entry: string): Range {
  if (entry.includes("/")) {
    if (!ipaddr.isValidCIDR(entry))
      throw new TrustedProxiesError(
        `TRUSTED_PROXIES: '${entry}' is not an address range; write it like 10.0.0.0/8 or fd00::/8`,
      );
    const [address, bits] = ipaddr.parseCIDR(entry);
    if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
      return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
    }
    return [address, bits];
  }
  const address = parseAddress(entry);
  if (!address)
    throw new TrustedProxiesError(
      `TRUSTED_PROXIES: '${entry}' is not an address; write it like 127.0.0.1, ::1 or 10.0.0.0/8`,
    );
  return [address, address.kind() === "ipv4" ? 32 : 128];
}

/** Parses `TRUSTED_PROXIES`: addresses or CIDR ranges separated by commas or spaces. Throws on a bad entry. */
export function parseTrustedProxies(text: string | undefined): TrustedProxies {
  const entries = (text ?? "").split(/[\s,]+/).filter(Boolean);
  const ranges = entries.map(parseRange);
  return {
    entries,
    has(address) {
      if (ranges.length === 0) return false;
      const parsed = parseAddress(address);
      if (!parsed) return false;
      return ranges.some(([base, bits]) => base.kind() === parsed.kind() && parsed.match(base as never, bits));
    },
  };
}

/**
 * The client's address: the peer's, unless the peer is a trusted proxy; then `X-Forwarded-For` is read
 * from the right, each trusted hop passing to the address before it, and the first untrusted address is
 * the client. An entry that is not an address stops the walk at the last hop that was one.
 */
export function resolveClientAddress(peer: string, forwardedFor: string | undefined, trusted: TrustedProxies): string {
  if (!forwardedFor || !trusted.has(peer)) return peer;
  const hops = forwardedFor.split(",");
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseAddress(hops[i] ?? "");
    if (!hop) break;
    client = hop.toString();
    if (!trusted.has(client)) break;
  }
  return client;
}

/** The origin the client used: the request's own, with the scheme from a trusted proxy's `X-Forwarded-Proto`. */
export function resolveOrigin(
  url: string,
  peer: string,
  forwardedProto: string | undefined,
  trusted: TrustedProxies,
): string {
  const origin = new URL(url).origin;
  const proto = forwardedProto?.split(",")[0]?.trim().toLowerCase();
  if ((proto !== "http" && proto !== "https") || !trusted.has(peer)) return origin;
  return origin.replace(/^https?:/, `${proto}:`);
}

const NO_PROXIES = parseTrustedProxies("");
const FALLBACK_ORIGIN = "http://127.0.0.1:3000";

/**
 * The origin to show in the docs page and openapi.json: PUBLIC_URL when set, else the one the client used
 * (a Host header that is no host name never gets here: `hostHeader` answers 400).
 * Computed on those routes only, not per request.
 */
export function publicOrigin(
  c: Context<AppEnv>,
  publicUrl: string | null | undefined,
  trusted: TrustedProxies = NO_PROXIES,
): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, "");
  // No Host (HTTP/1.0): the URL is a bare path, so the server's own address stands in.
  const url = c.req.url.startsWith("/")
    ? ((c.env as { url?: URL } | undefined)?.url?.href ?? FALLBACK_ORIGIN)
    : c.req.url;
  return resolveOrigin(url, peerAddress(c.env, c.req.raw), c.req.header("x-forwarded-proto"), trusted);
}

/** Sets `address`, the client (see resolveClientAddress), for every request. */
export function clientAddress(trusted: TrustedProxies = NO_PROXIES): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const peer = peerAddress(c.env, c.req.raw);
    c.set("address", resolveClientAddress(peer, c.req.header("x-forwarded-for"), trusted));
    await next();
  };
}
