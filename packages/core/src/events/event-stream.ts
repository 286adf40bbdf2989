import type { Sql } from "@switchboard/db";
import { z } from "zod";
import type { AuditSink } from "../audit/audit-sink.ts";
import { auditEntry } from "../audit/audit-entry.ts";
import type { Caller } from "../caller.ts";
import { ActionError, forbidden } from "../errors.ts";
import { type EventFilter, lastEventSeq, listenForEvents, readEventsAfter } from "./event-log.ts";
import { eventTypeSchema, type SwitchboardEvent } from "./event-types.ts";

// The live event stream (tRPC `events.stream`, docs/events.md). It is not an action: actions answer once
// and reach every face (legacy, OpenAPI, Slack), a stream yields for as long as the client listens and only
// tRPC's SSE transport carries it. It keeps the action rules all the same: one input schema, a scope
// (`read`), the caller's domain enforced, an audit row when it starts.

export const EVENT_STREAM_PATH = "events.stream";
export const EVENT_STREAM_SCOPE = "read" as const;

const uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
    error: "a uuid looks like 4d0b8e0c-5c1e-4d5a-9a53-0c2f4b1e7d10",
  })
  .transform((value) => value.toLowerCase());

export const eventStreamInput = z.object({
  /** Only these types (default every type). */
  types: z.array(eventTypeSchema).min(1).optional(),
  /** Only this domain's events. A key bound to a domain always gets only its own. */
  domain_uuid: uuid.optional(),
  /** Only events about this extension. */
  extension_uuid: uuid.optional(),
  /**
   * Resume after this event (its `seq`, the SSE id). tRPC's client sets it when it reconnects; a client
   * may also pass the last id it stored. Without it the stream starts with the next event.
   */
  lastEventId: z
    .string()
    .regex(/^\d{1,18}$/, { error: "lastEventId is the id of an event received before, a number" })
    .nullish(),
});

export type EventStreamInput = z.infer<typeof eventStreamInput>;

/** The log filter a caller may use: a domain-bound key sees only its domain; an admin key sees all. */
export function streamFilterFor(caller: Caller, input: EventStreamInput): EventFilter {
  if (!caller.scopes.has(EVENT_STREAM_SCOPE) && !caller.scopes.has("admin"))
    throw forbidden(`this key lacks the '${EVENT_STREAM_SCOPE}' scope`);
  if (caller.domainUuid !== null && input.domain_uuid !== undefined && input.domain_uuid !== caller.domainUuid)
    throw new ActionError("FORBIDDEN", "this key may only follow the events of its own domain", {
      field: "domain_uuid",
    });
  const filter: EventFilter = {};
  const domain = caller.domainUuid ?? input.domain_uuid;
  if (domain !== undefined) filter.domain_uuid = domain;
  if (input.types !== undefined) filter.types = input.types;
  if (input.extension_uuid !== undefined) filter.extension_uuid = input.extension_uuid;
  return filter;
}

export interface StreamEventsOptions {
  /** Read the log again this often even without a notification (one lost on a reconnect). Default 5000 ms. */
  pollMs?: number;
  /** Events read per query. Default 500. */
  batch?: number;
  /**
   * Asked every `recheckMs` (default 60 000) whether the caller may still follow these events (its key not
   * revoked, expired or rebound); false ends the stream with UNAUTHORIZED.
   */
  stillAllowed?: () => Promise<boolean>;
  recheckMs?: number;
}

/**
 * Every event after `afterSeq` (null: after the newest now) that matches the filter, then each new one as
 * it is logged, until `signal` aborts. The LISTEN starts before the back-fill reads the log, so an event
 * committed meanwhile is either read by the back-fill or announced after it: no gap, and the cursor means
 * no duplicate.
 */
export async function* streamEvents(
  sql: Sql,
  filter: EventFilter,
  afterSeq: number | null,
  signal: AbortSignal,
  options: StreamEventsOptions = {},
): AsyncGenerator<SwitchboardEvent> {
  let wake: (() => void) | null = null;
  let pending = true;
  const nudge = () => {
    pending = true;
    wake?.();
  };
  const listener = await listenForEvents(sql, nudge, nudge);
  const onAbort = () => wake?.();
  signal.addEventListener("abort", onAbort);
  try {
    let cursor = afterSeq ?? (await lastEventSeq(sql));
    const batch = options.batch ?? 500;
    let checkedAt = Date.now();
    while (!signal.aborted) {
      if (options.stillAllowed && Date.now() - checkedAt >= (options.recheckMs ?? 60_000)) {
        checkedAt = Date.now();
        if (!(await options.stillAllowed()))
          throw new ActionError(
            "UNAUTHORIZED",
            "this key may no longer follow these events (revoked, expired or changed)",
          );
      }
      if (pending) {
        pending = false;
        for (;;) {
          const events = await readEventsAfter(sql, cursor, filter, batch);
          for (const event of events) {
            if (signal.aborted) return;
            cursor = event.seq;
            yield event;
          }
          if (events.length < batch) break;
        }
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(
          () => {
            pending = true;
            resolve();
          },
          Math.min(
            options.pollMs ?? 5000,
            options.stillAllowed ? (options.recheckMs ?? 60_000) : Number.POSITIVE_INFINITY,
          ),
        );
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    await listener.unlisten().catch(() => {});
  }
}

/** The audit row of a stream the caller opened (or was refused). */
export function auditStreamStart(
  audit: AuditSink | undefined,
  caller: Caller,
  now: () => Date,
  outcome: { error: unknown | null; domainUuid: string | null },
): void {
  const code =
    outcome.error instanceof ActionError ? outcome.error.code : outcome.error ? "INTERNAL_SERVER_ERROR" : null;
  audit?.record(
    auditEntry({ caller, now }, EVENT_STREAM_PATH, {
      domainUuid: outcome.domainUuid,
      outcome: outcome.error ? "error" : "ok",
      errorCode: code,
      durationMs: 0,
    }),
  );
}
