/** How long until `seconds`, in words: "in 45 s", "in 2 min", "in 3 h", or "2 min ago" once past. */
export function inWords(seconds: number): string {
  const abs = Math.abs(Math.round(seconds));
  const amount =
    abs < 60
      ? `${abs} s`
      : abs < 3600
        ? `${Math.round(abs / 60)} min`
        : abs < 86_400 * 2
          ? `${Math.round(abs / 3600)} h`
          : `${Math.round(abs / 86_400)} days`;
  return seconds >= 0 ? `in ${amount}` : `${amount} ago`;
}

/**
 * A registration's `expires` (FreeSWITCH's `show registrations`: seconds since the epoch) as people read it:
 * "expires in 2 min", "expired 5 min ago"; anything else as it came.
 */
export function readableExpiry(expires: string, nowMs = Date.now()): string {
  if (!/^\d{9,11}$/.test(expires.trim())) return expires;
  const left = Number(expires) - nowMs / 1000;
  return left >= 0 ? `expires ${inWords(left)}` : `expired ${inWords(left)}`;
}
