/** One request a fake Slack endpoint received. */
export interface Captured {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** Arrival order across every capture server of a test run. */
  seq: number;
}

let sequence = 0;
/** A shared ordering counter, so tests can compare when things happened without clocks. */
export function nextSequence(): number {
  return ++sequence;
}

/**
 * A loopback HTTP server that records what the bot posts (a `response_url`, or Slack's Web API) and
 * answers with `reply(path, body)`.
 */
export function startCaptureServer(
  reply: (path: string, body: Record<string, unknown>) => unknown = () => ({ ok: true }),
) {
  const received: Captured[] = [];
  const waiters: Array<{ check: () => boolean; resolve: () => void }> = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const text = await request.text();
      let body: Record<string, unknown>;
      const type = request.headers.get("content-type") ?? "";
      if (type.includes("application/json")) body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      else body = Object.fromEntries(new URLSearchParams(text));
      received.push({ path: url.pathname, headers: Object.fromEntries(request.headers), body, seq: nextSequence() });
      for (const waiter of [...waiters]) {
        if (waiter.check()) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
      return Response.json(reply(url.pathname, body) ?? { ok: true });
    },
  });
  const at = (path: string) => received.filter((r) => r.path === path);
  return {
    url: `http://127.0.0.1:${server.port}`,
    received,
    at,
    /** Resolves once `path` has received `count` requests; rejects after `timeoutMs` so a broken bot fails the test instead of hanging it. */
    waitFor(path: string, count = 1, timeoutMs = 10_000): Promise<Captured[]> {
      return new Promise((resolve, reject) => {
        const check = () => at(path).length >= count;
        if (check()) return resolve(at(path));
        const timer = setTimeout(
          () => reject(new Error(`${path} received ${at(path).length} of ${count} requests`)),
          timeoutMs,
        );
        waiters.push({
          check,
          resolve: () => {
            clearTimeout(timer);
            resolve(at(path));
          },
        });
      });
    },
    /** Resolves with the first request to `path` whose body satisfies `match`. */
    waitForMatch(
      path: string,
      match: (body: Record<string, unknown>) => boolean,
      timeoutMs = 15_000,
    ): Promise<Captured> {
      return new Promise((resolve, reject) => {
        const find = () => at(path).find((c) => match(c.body));
        const found = find();
        if (found) return resolve(found);
        const timer = setTimeout(
          () =>
            reject(new Error(`${path}: no matching request among ${JSON.stringify(at(path).map((c) => c.body.text))}`)),
          timeoutMs,
        );
        waiters.push({
          check: () => find() !== undefined,
          resolve: () => {
            clearTimeout(timer);
            resolve(find()!);
          },
        });
      });
    },
    stop: () => server.stop(true),
  };
}

export type CaptureServer = ReturnType<typeof startCaptureServer>;
