/** Test support for webhooks: a scripted receiver on 127.0.0.1 and events written into the log. */
import type { Sql } from "@switchboard/db";
import type { Server } from "bun";

export interface Received {
  headers: Record<string, string>;
  body: string;
  at: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Answers in this order, then `fallback`; a function decides per request. */
  script(answers: Array<number | Response | ((r: Received) => Response)>, fallback?: number): void;
  /** Resolves once `count` requests have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  stop(): Promise<void>;
}

export function startReceiver(path = "/hook"): Receiver {
  const received: Received[] = [];
  let answers: Array<number | Response | ((r: Received) => Response)> = [];
  let fallback = 200;
  const waiters: Array<() => void> = [];
  const server: Server<undefined> = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const r: Received = {
        headers: Object.fromEntries(request.headers.entries()),
        body: await request.text(),
        at: Date.now(),
      };
      received.push(r);
      for (const wake of waiters.splice(0)) wake();
      const next = answers.shift() ?? fallback;
      if (typeof next === "number") return new Response(`answer ${next}`, { status: next });
      if (typeof next === "function") return next(r);
      return next;
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}${path}`,
    received,
    script(list, otherwise = 200) {
      answers = [...list];
      fallback = otherwise;
    },
    async waitFor(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} requests, got ${received.length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 100);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return received;
    },
    async stop() {
      await server.stop(true);
    },
  };
}

export interface TestEvent {
  id?: string;
  type: string;
  domain_uuid?: string | null;
  call_id?: string | null;
  call_seq?: number | null;
  extension_uuid?: string | null;
  data?: Record<string, unknown>;
}

/** Writes events into the log (as the event pipeline does) and notifies; returns their ids. */
export async function appendTestEvents(sql: Sql, events: TestEvent[]): Promise<string[]> {
  const ids: string[] = [];
  for (const event of events) {
    const id = event.id ?? `evt_${crypto.randomUUID()}`;
    ids.push(id);
    const [row] = await sql<{ seq: number }[]>`
      insert into switchboard_events (event_id, type, domain_uuid, call_id, call_seq, extension_uuid, occurred_at, data)
      values (${id}, ${event.type}, ${event.domain_uuid ?? null}::uuid, ${event.call_id ?? null}::uuid,
              ${event.call_seq ?? null}, ${event.extension_uuid ?? null}::uuid, now(), ${JSON.stringify(event.data ?? {})}::jsonb)
      returning seq`;
    await sql`select pg_notify('switchboard_events', ${String(row!.seq)})`;
  }
  return ids;
}

/** A schedule that retries at once: the tests see every attempt without waiting hours. */
export const IMMEDIATE_RETRIES = [0, 0, 0, 0, 0, 0, 0];
