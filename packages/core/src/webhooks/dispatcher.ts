import type { Sql } from "@switchboard/db";
import type { AuditSink } from "../audit/audit-sink.ts";
import { listenForEvents } from "../events/event-log.ts";
import { createFanOut } from "./fan-out.ts";
import { type EventRow, signedHeaders, webhookBody } from "./payload.ts";
import { nextDelayMs, RETRY_DELAYS_MS } from "./schedule.ts";
import { DELIVERY_TIMEOUT_MS, postWebhook, type SendOutcome } from "./send.ts";
import { webhookUrlPolicy, type WebhookUrlPolicy } from "./url-policy.ts";
import { WEBHOOKS_CHANNEL } from "./webhook-store.ts";

export interface WebhookDispatcherOptions {
  sql: Sql;
  policy?: WebhookUrlPolicy;
  /** Waits between attempts (default RETRY_DELAYS_MS); tests pass short ones. */
  schedule?: readonly number[];
  timeoutMs?: number;
  /** An endpoint failing without a success for this long is disabled (default 5 days). */
  disableAfterMs?: number;
  /** Deliveries sent at once by this process. */
  concurrency?: number;
  /** How often to look for due retries without a notification. */
  pollMs?: number;
  gapWaitMs?: number;
  /** Where "endpoint disabled" is recorded for admins (audit-list, action `webhook-disable`). */
  audit?: AuditSink;
  onError?: (error: unknown) => void;
  random?: () => number;
}

export interface WebhookDispatcher {
  /** Fans out new events and sends every delivery due now; resolves to the attempts made. */
  runOnce(): Promise<number>;
  /** Runs until `stop`, woken by the event log's and the webhooks' notifications, else every `pollMs`. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface Claimed extends EventRow {
  delivery_id: string;
  webhook_uuid: string;
  attempts: number;
  lease_token: string;
  url: string;
  secret: string;
  webhook_domain: string | null;
}

/** Longer than a delivery can take, so a lease only runs out when its process died. */
const LEASE_SECONDS = 60;

/** Finished deliveries (and their attempts) are kept this long for webhook-deliveries and replays. */
export const DELIVERY_LOG_DAYS = 30;
const PRUNE_EVERY_MS = 3_600_000;

export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const { sql } = options;
  const policy = options.policy ?? webhookUrlPolicy();
  const schedule = options.schedule ?? RETRY_DELAYS_MS;
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const disableAfterMs = options.disableAfterMs ?? 5 * 24 * 3_600_000;
  const concurrency = options.concurrency ?? 32;
  const pollMs = options.pollMs ?? 1_000;
  const random = options.random ?? Math.random;
  const fanOut = createFanOut(sql, { gapWaitMs: options.gapWaitMs });
  const report = options.onError ?? (() => {});

  /**
   * Leases due deliveries. Skipped: those another process holds (row locks, unexpired leases) and those
   * with an earlier undelivered event of the same call to the same endpoint (per-call order).
   */
  async function claim(limit: number): Promise<Claimed[]> {
    const token = crypto.randomUUID();
    return sql<Claimed[]>`
      with due as (
        select d.delivery_id
        from switchboard_webhook_deliveries d
        join switchboard_webhooks w on w.webhook_uuid = d.webhook_uuid and w.enabled
        where d.status = 'pending' and d.next_attempt_at <= now()
          and (d.leased_until is null or d.leased_until < now())
          and (d.call_id is null or not exists (
            select 1 from switchboard_webhook_deliveries p
            where p.webhook_uuid = d.webhook_uuid and p.call_id = d.call_id and p.status = 'pending'
              and p.event_seq < d.event_seq))
        order by d.next_attempt_at, d.delivery_id
        limit ${limit}
        for update of d skip locked
      ), leased as (
        update switchboard_webhook_deliveries d
        set lease_token = ${token}::uuid, leased_until = now() + make_interval(secs => ${LEASE_SECONDS}),
            attempts = d.attempts + 1
        from due where d.delivery_id = due.delivery_id
        returning d.delivery_id, d.webhook_uuid, d.event_seq, d.attempts, d.lease_token
      )
      select l.delivery_id, l.webhook_uuid, l.attempts, l.lease_token::text as lease_token,
             w.url, w.secret, w.domain_uuid::text as webhook_domain,
             e.seq, e.event_id, e.type, e.domain_uuid::text as domain_uuid, e.call_id::text as call_id, e.call_seq,
             e.occurred_at, e.reconciled, e.data
      from leased l
      join switchboard_webhooks w on w.webhook_uuid = l.webhook_uuid
      join switchboard_events e on e.seq = l.event_seq
      order by e.seq`;
  }

  async function disable(tx: Sql, webhookUuid: string, domain: string | null, reason: string, code: string) {
    const [changed] = await tx<{ webhook_uuid: string }[]>`
      update switchboard_webhooks
      set enabled = false, disabled_reason = ${reason}, disabled_at = now(), updated_at = now()
      where webhook_uuid = ${webhookUuid}::uuid and enabled
      returning webhook_uuid`;
    if (!changed) return;
    await tx`
      update switchboard_webhook_deliveries
      set status = 'failed', finished_at = now(), last_error = ${`endpoint disabled: ${reason}`},
          lease_token = null, leased_until = null
      where webhook_uuid = ${webhookUuid}::uuid and status = 'pending'`;
    options.audit?.record({
      face: "internal",
      keyId: null,
      slackUserId: null,
      slackTeamId: null,
      action: "webhook-disable",
      domainUuid: domain,
      outcome: "error",
      errorCode: code,
      requestId: `webhook-${webhookUuid}`,
      address: null,
      durationMs: 0,
      at: new Date(),
    });
  }

  async function record(item: Claimed, outcome: SendOutcome, attemptedAt: Date): Promise<void> {
    const status = outcome.statusCode;
    const ok = status !== null && status >= 200 && status < 300;
    const gone = status === 410;
    const delay = ok || gone ? null : nextDelayMs(item.attempts, schedule, outcome.retryAfterMs, random);
    const final = ok ? "succeeded" : delay === null ? "failed" : "pending";
    const error = outcome.error ?? (ok ? null : `the endpoint answered ${status}`);
    if (ok) {
      // One statement: the outcome (only while the lease is ours), the attempt, and the endpoint's health
      // (written at most once a minute, so concurrent successes do not queue on the endpoint's row).
      await sql`
        with d as (
          update switchboard_webhook_deliveries
          set status = 'succeeded', last_status_code = ${status}, last_error = null, finished_at = now(),
              lease_token = null, leased_until = null
          where delivery_id = ${item.delivery_id} and lease_token = ${item.lease_token}::uuid
          returning delivery_id
        ), a as (
          insert into switchboard_webhook_attempts
            (delivery_id, attempted_at, status_code, error, response_excerpt, duration_ms)
          select delivery_id, ${attemptedAt.toISOString()}::timestamptz, ${status}, null, ${outcome.excerpt},
                 ${outcome.durationMs}
          from d
        )
        update switchboard_webhooks set last_success_at = now(), failing_since = null
        where webhook_uuid = ${item.webhook_uuid}::uuid and exists (select 1 from d)
          and (failing_since is not null or last_success_at is null or last_success_at < now() - interval '1 minute')`;
      return;
    }
    await sql.begin(async (tx) => {
      const [updated] = await tx`
        update switchboard_webhook_deliveries
        set status = ${final}, last_status_code = ${status}, last_error = ${error},
            next_attempt_at = ${delay === null ? sql`next_attempt_at` : sql`now() + make_interval(secs => ${delay / 1000})`},
            finished_at = ${final === "pending" ? null : sql`now()`},
            lease_token = null, leased_until = null
        where delivery_id = ${item.delivery_id} and lease_token = ${item.lease_token}::uuid
        returning delivery_id`;
      // The lease ran out and another process took the delivery over: its outcome is the one recorded.
      if (!updated) return;
      await tx`
        insert into switchboard_webhook_attempts (delivery_id, attempted_at, status_code, error, response_excerpt, duration_ms)
        values (${item.delivery_id}, ${attemptedAt.toISOString()}::timestamptz, ${status}, ${outcome.error}, ${outcome.excerpt}, ${outcome.durationMs})`;
      if (gone) {
        await disable(
          tx as unknown as Sql,
          item.webhook_uuid,
          item.webhook_domain,
          "the endpoint answered 410 Gone",
          "GONE",
        );
        return;
      }
      const [state] = await tx<{ failing_ms: number }[]>`
        update switchboard_webhooks set failing_since = coalesce(failing_since, now())
        where webhook_uuid = ${item.webhook_uuid}::uuid
        returning (extract(epoch from now() - failing_since) * 1000)::float8 as failing_ms`;
      if (state && state.failing_ms >= disableAfterMs) {
        const days = Math.round(disableAfterMs / 86_400_000);
        await disable(
          tx as unknown as Sql,
          item.webhook_uuid,
          item.webhook_domain,
          `no successful delivery for ${days > 0 ? `${days} days` : `${Math.round(disableAfterMs / 1000)} s`}`,
          "ENDPOINT_FAILING",
        );
      }
    });
  }

  async function deliver(item: Claimed): Promise<void> {
    const body = webhookBody(item);
    const attemptedAt = new Date();
    const outcome = await postWebhook(
      new URL(item.url),
      signedHeaders(item.secret, item.event_id, body, attemptedAt),
      body,
      {
        policy,
        timeoutMs,
      },
    );
    await record(item, outcome, attemptedAt);
  }

  const inFlight = new Set<Promise<void>>();
  let running: Promise<void> | null = null;
  let stopped = false;
  let wake: (() => void) | null = null;
  let woken = false;
  const unlisteners: Array<() => Promise<void>> = [];
  let eventsAnnounced = true;
  const nudge = () => {
    woken = true;
    wake?.();
  };
  const eventsArrived = () => {
    eventsAnnounced = true;
    nudge();
  };

  /** Fills free sending slots with due deliveries; a finished one wakes the loop (the call's next may be due). */
  async function pump(): Promise<number> {
    const free = concurrency - inFlight.size;
    if (free <= 0) return 0;
    const batch = await claim(free);
    for (const item of batch) {
      const sending: Promise<void> = deliver(item)
        .catch(report)
        .finally(() => {
          inFlight.delete(sending);
          nudge();
        });
      inFlight.add(sending);
    }
    return batch.length;
  }

  let prunedAt = 0;
  async function prune(): Promise<void> {
    if (Date.now() - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = Date.now();
    await sql`
      delete from switchboard_webhook_deliveries
      where status <> 'pending' and finished_at < now() - make_interval(days => ${DELIVERY_LOG_DAYS})`;
  }

  async function fanOutAll(): Promise<void> {
    while ((await fanOut.run()) > 0) {
      // Again while passes find events.
    }
  }

  async function runOnce(): Promise<number> {
    await fanOutAll();
    let attempts = 0;
    for (;;) {
      const claimed = await pump();
      attempts += claimed;
      if (claimed === 0 && inFlight.size === 0) return attempts;
      if (claimed === 0 || inFlight.size >= concurrency) await Promise.race(inFlight);
    }
  }

  async function loop() {
    while (!stopped) {
      woken = false;
      try {
        await prune();
        if (eventsAnnounced) {
          eventsAnnounced = false;
          await fanOutAll();
        }
        while (!stopped && (await pump()) > 0) {
          // Keep filling slots while deliveries are due.
        }
      } catch (error) {
        report(error);
      }
      if (stopped || woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          // The poll: due retries, and events whose notification was lost.
          eventsAnnounced = true;
          resolve();
        }, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
    await Promise.allSettled(inFlight);
  }

  return {
    runOnce,
    async start() {
      if (running) return;
      stopped = false;
      // Notifications sent while a listening connection was down are lost: a pass runs on every (re)connect.
      try {
        const events = await listenForEvents(sql, eventsArrived, eventsArrived);
        unlisteners.push(events.unlisten);
        const webhooks = await sql.listen(WEBHOOKS_CHANNEL, nudge, nudge);
        unlisteners.push(webhooks.unlisten);
      } catch (error) {
        // Without LISTEN (a pooler in transaction mode) the poll still finds everything.
        report(error);
      }
      running = loop();
    },
    async stop() {
      stopped = true;
      wake?.();
      for (const unlisten of unlisteners.splice(0)) await unlisten().catch(() => {});
      await running;
      running = null;
    },
  };
}
