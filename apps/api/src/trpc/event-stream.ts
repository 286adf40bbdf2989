import {
  auditStreamStart,
  EVENT_STREAM_PATH,
  eventStreamInput,
  streamEvents,
  streamFilterFor,
} from "@switchboard/core";
import { tracked } from "@trpc/server";
import { toTrpcError } from "./errors.ts";
import { protectedProcedure } from "./trpc.ts";

/**
 * `events.stream`: the live event log over SSE (docs/events.md). Each event is sent with its `seq` as the SSE
 * id, so tRPC's client resumes after the last one it got (`lastEventId`) with no gap and no duplicate. Not an
 * action (a stream reaches no other face); its input, scope and domain rule live in core's event-stream.ts.
 */
export const eventStreamProcedure = protectedProcedure.input(eventStreamInput).subscription(async function* ({
  ctx,
  input,
  signal,
}) {
  ctx.markActionRan(EVENT_STREAM_PATH);
  const now = ctx.deps.now ?? (() => new Date());
  let filter: ReturnType<typeof streamFilterFor>;
  try {
    filter = streamFilterFor(ctx.caller, input);
  } catch (error) {
    auditStreamStart(ctx.deps.audit, ctx.caller, now, { error, domainUuid: null });
    throw toTrpcError(error);
  }
  auditStreamStart(ctx.deps.audit, ctx.caller, now, { error: null, domainUuid: filter.domain_uuid ?? null });
  const after = input.lastEventId ? Number(input.lastEventId) : null;
  for await (const event of streamEvents(ctx.deps.sql, filter, after, signal ?? new AbortController().signal)) {
    yield tracked(String(event.seq), event);
  }
});
