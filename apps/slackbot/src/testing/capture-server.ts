import { messageProblems } from "../blocks/limits.ts";

/** One request a fake Slack endpoint received. */
export interface Captured {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** Set when the fake refused the message as Slack would (`invalid_blocks`), with what was wrong. */
  refused?: string[];
  /** Arrival order across every capture server of a test run. */
  seq: number;
}

let sequence = 0;
/** A shared ordering counter, so tests can compare when things happened without clocks. */
export function nextSequence(): number {
  return ++sequence;
}

/** Slack's Web API methods that carry a message: a message over Slack's limits is refused there. */
const MESSAGE_METHODS = new Set(["/api/chat.postMessage", "/api/chat.update", "/api/chat.postEphemeral"]);

/**
 * A loopback HTTP server that records what the bot posts (a `response_url`, or Slack's Web API) and
 * answers with `reply(path, body)`. Like Slack, it refuses a message whose blocks break Slack's limits
 * (`invalid_blocks`: HTTP 400 on a response_url, `ok: false` on the Web API), and `refuseNext` makes it refuse
 * the next message posts whatever they hold, as Slack sometimes does.
 */
export function startCaptureServer(
  reply: (path: string, body: Record<string, unknown>) => unknown = () => ({ ok: true }),
) {
  const received: Captured[] = [];
  let refusals: { count: number; error: string } = { count: 0, error: "invalid_blocks" };
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
      const isMessage = !url.pathname.startsWith("/api/") || MESSAGE_METHODS.has(url.pathname);
      let refused: string[] | undefined;
      if (isMessage && (body.blocks !== undefined || body.text !== undefined)) {
        const blocks = typeof body.blocks === "string" ? JSON.parse(body.blocks) : body.blocks;
        const problems = messageProblems({ text: body.text, blocks });
        if (problems.length > 0) refused = problems;
        else if (refusals.count > 0) {
          refusals.count--;
          refused = [refusals.error];
        }
      }
      received.push({
        path: url.pathname,
        headers: Object.fromEntries(request.headers),
        body,
        seq: nextSequence(),
        ...(refused ? { refused } : {}),
      });
      for (const waiter of [...waiters]) {
        if (waiter.check()) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
      if (refused) {
        const error = refused.length === 1 && !refused[0]!.includes(":") ? refused[0]! : "invalid_blocks";
        return url.pathname.startsWith("/api/")
          ? Response.json({ ok: false, error, response_metadata: { messages: refused } })
          : new Response(error, { status: 400 });
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
    /** Refuses the next `count` message posts with `error`, whatever they hold. */
    refuseNext(count = 1, error = "invalid_blocks") {
      refusals = { count, error };
    },
    /**
     * What the user sees of a response_url's posts, as Slack shows them: after a slash command every accepted
     * post is a message of its own (Slack ignores `replace_original` for a command's ephemeral reply), after
     * a button press `replace_original` replaces the message the button was in.
     */
    shown(path: string): Record<string, unknown>[] {
      const accepted = at(path).filter((c) => !c.refused);
      if (!path.startsWith("/actions/")) return accepted.map((c) => c.body);
      const visible: Record<string, unknown>[] = [];
      for (const { body } of accepted) {
        if (body.replace_original === true && visible.length > 0) visible[visible.length - 1] = body;
        else visible.push(body);
      }
      return visible;
    },
    /** Every message the fake refused, for tests that assert nothing was. */
    refused: () => received.filter((r) => r.refused),
    stop: () => server.stop(true),
  };
}

export type CaptureServer = ReturnType<typeof startCaptureServer>;
