/** Addresses that only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:127\./.test(h);
}

const WILDCARDS = new Set(["0.0.0.0", "::", "[::]"]);

/**
 * The embedded demo's API key is published (README, start-up banner), so the demo serves on loopback only:
 * any other HOST is refused with one line saying what to do instead.
 */
export function assertDemoOnLoopback(host: string, embedded: boolean): void {
  if (!embedded || isLoopback(host)) return;
  throw new Error(
    `refusing to serve the embedded demo on ${host}: its API key is published, so the demo listens on this machine only (unset HOST or set HOST=127.0.0.1), or set DATABASE_URL to your own database`,
  );
}

/** What a start-up line says about the socket: the address actually bound, and a URL that reaches it from here. */
export function listeningLine(host: string, port: number): { line: string; url: string } {
  const wildcard = WILDCARDS.has(host);
  const local = wildcard ? (host.includes(":") ? "::1" : "127.0.0.1") : host;
  const url = `http://${local.includes(":") ? `[${local}]` : local}:${port}`;
  const bound = `${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}`;
  return {
    url,
    line: wildcard ? `listening on ${bound} (every address of this machine; from here ${url})` : `listening on ${url}`,
  };
}
