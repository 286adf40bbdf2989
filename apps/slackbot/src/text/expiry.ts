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
 * A registration's `expires` (core's typed answer: ISO 8601 UTC; FreeSWITCH's own text: seconds since the
 * epoch) as people read it: "expires in 2 min", "expired 5 min ago"; anything else as it came.
 */
export function readableExpiry(expires: string, nowMs = Date.now()): string {
  const text = expires.trim();
  const ms = /^\d{9,11}$/.test(text)
    ? Number(text) * 1000
    : /^\d{4}-\d\d-\d\dT/.test(text)
      ? Date.parse(text)
      : Number.NaN;
  if (!Number.isFinite(ms)) return expires;
  const left = (ms - nowMs) / 1000;
  return left >= 0 ? `expires ${inWords(left)}` : `expired ${inWords(left)}`;
}
