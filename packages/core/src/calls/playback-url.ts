import { badRequest } from "../errors.ts";
import { addressRefusal, isIpAddress, parseAllowList, systemResolve, urlHost } from "../net/address-allow.ts";

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

export function playbackUrlPolicy(env: Record<string, string | undefined> = process.env): PlaybackUrlPolicy {
  return { allow: parseAllowList(env.PLAYBACK_URL_ALLOW) };
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
  const host = urlHost(new URL(file));
  if (policy.allow.includes(host)) return;
  let addresses: string[];
  if (isIpAddress(host)) {
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
    const refusal = addressRefusal(text, policy.allow);
    if (refusal) throw refused(`the URL points at ${refusal}, which FreeSWITCH may not fetch from`);
  }
}
