/** The key id and secret a client presented, exactly as sent (the id is not normalised yet). */
export interface PresentedCredentials {
  keyId: string;
  secret: string;
}

/**
 * Reads `Authorization`. Basic is split at the first `:` like PHP's PHP_AUTH_USER/PW (no `:` means no
 * credentials). `Bearer <key_uuid>:<secret>` is accepted when `allowBearer` is set (the tRPC face).
 */
export function parseAuthorization(
  header: string | undefined | null,
  options: { allowBearer: boolean },
): PresentedCredentials | null {
  if (!header) return null;
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (!match) return null;
  const scheme = match[1]!.toLowerCase();
  let pair: string;
  if (scheme === "basic") {
    const decoded = decodeBase64(match[2]!);
    if (decoded === null) return null;
    pair = decoded;
  } else if (scheme === "bearer" && options.allowBearer) {
    pair = match[2]!;
  } else {
    return null;
  }
  const colon = pair.indexOf(":");
  if (colon < 0) return null;
  return { keyId: pair.slice(0, colon), secret: pair.slice(colon + 1) };
}

function decodeBase64(text: string): string | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  try {
    return Buffer.from(text, "base64").toString("utf8");
  } catch {
    return null;
  }
}
