import type { Sql } from "@switchboard/db";
import type { AuditSink } from "../audit/audit-sink.ts";
import { createFanOut } from "./fan-out.ts";
import { type EventRow, signedHeaders, webhookBody } from "./payload.ts";
import { nextDelayMs, RETRY_DELAYS_MS } from "./schedule.ts";
import { DELIVERY_TIMEOUT_MS, postWebhook, type SendOutcome } from "./send.ts";
import { webhookUrlPolicy, type WebhookUrlPolicy } from "./url-policy.ts";
import { WEBHOOKS_CHANNEL } from "./webhook-store.ts";

/** Channel the event log notifies after inserts (payload: the new seq). */
export const EVENTS_CHANNEL = "switchboard_events";

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
    const leased = await sql<{ delivery_id: string }[]>`
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
      )
      update switchboard_webhook_deliveries d
      set lease_token = ${token}::uuid, leased_until = now() + make_interval(secs => ${LEASE_SECONDS}),
          attempts = d.attempts + 1
      from due where d.delivery_id = due.delivery_id
      returning d.delivery_id`;
    if (leased.length === 0) return [];
    return sql<Claimed[]>`
      select d.delivery_id, d.webhook_uuid, d.attempts, d.lease_token::text as lease_token,
             w.url, w.secret, w.domain_uuid::text as webhook_domain,
             e.seq, e.event_id, e.type, e.domain_uuid::text as domain_uuid, e.call_id::text as call_id, e.call_seq,
             e.occurred_at, e.reconciled, e.data
      from switchboard_webhook_deliveries d
      join switchboard_webhooks w on w.webhook_uuid = d.webhook_uuid
      join switchboard_events e on e.seq = d.event_seq
      where d.delivery_id in ${sql(leased.map((r) => r.delivery_id))} and d.lease_token = ${token}::uuid
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
      if (ok) {
        await tx`
          update switchboard_webhooks set last_success_at = now(), failing_since = null
          where webhook_uuid = ${item.webhook_uuid}::uuid`;
        return;
      }
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
  const nudge = () => {
    woken = true;
    wake?.();
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
        await fanOutAll();
        while (!stopped && (await pump()) > 0) {
          // Keep filling slots while deliveries are due.
        }
      } catch (error) {
        report(error);
      }
      if (stopped || woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
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
      for (const channel of [EVENTS_CHANNEL, WEBHOOKS_CHANNEL]) {
        try {
          const listening = await sql.listen(channel, nudge);
          unlisteners.push(listening.unlisten);
        } catch (error) {
          // Without LISTEN (a pooler in transaction mode) the poll still finds everything.
          report(error);
        }
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
