import {
  auditStreamStart,
  EVENT_STREAM_PATH,
  EVENT_STREAM_SCOPE,
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
  const { caller } = ctx;
  const keyId = caller.keyId;
  // A key revoked, expired, rebound or stripped of `read` while its stream is open stops receiving.
  const stillAllowed = keyId
    ? async () => {
        const key = await ctx.deps.authenticator.standing(keyId);
        if (!key || key.domainUuid !== caller.domainUuid) return false;
        return key.scopes.has(EVENT_STREAM_SCOPE) || key.scopes.has("admin");
      }
    : undefined;
  try {
    const stream = streamEvents(ctx.deps.sql, filter, after, signal ?? new AbortController().signal, { stillAllowed });
    for await (const event of stream) yield tracked(String(event.seq), event);
  } catch (error) {
    throw toTrpcError(error);
  }
});
