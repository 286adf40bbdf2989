import type { Sql } from "@switchboard/db";
import {
  connectEvents,
  type EventConnection,
  parseShowJson,
  type SwitchEndpoint,
  type SwitchEvent,
} from "@switchboard/esl";
import { appendEvents } from "./event-log.ts";
import type { NewEvent, SwitchboardEvent } from "./event-types.ts";
import { normaliseSwitchEvent } from "./normalise.ts";
import { voicemailRowEvent } from "./normalise-rows.ts";
import type { NormaliseContext } from "./normalise-context.ts";
import { contextFor, loadPbxDirectory, type PbxDirectory } from "./pbx-directory.ts";
import {
  parseRegistrations,
  reconcileRegistrations,
  recoverLiveCalls,
  recoverTerminalEvents,
  unlessMissingTable,
  voicemailRowsSince,
} from "./recovery.ts";
import { RegistrationStore } from "./registration-store.ts";

// Ingest: one process per switch (a PostgreSQL advisory lock per switch host, held on a reserved
// connection; the others stand by and take over when it is released) turns the switch's events into
// event-log rows. Recovery runs on every (re)connection. docs/events.md.

export interface IngestLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface EventIngestOptions {
  sql: Sql;
  switches: ReadonlyArray<SwitchEndpoint & { name?: string }>;
  logger?: IngestLogger;
  /** How often a standby process tries to take a switch over. Default 5000 ms. */
  standbyRetryMs?: number;
  /** Recovery runs again this long after a reconnection, for CDRs FusionPBX imports late. Default 10 000 ms. */
  recoverySettleMs?: number;
  /** Recovery never reaches further back than this. Default 24 h. */
  maxRecoveryMs?: number;
  /** No event for this long drops the event connection (HEARTBEAT is every 20 s). Default 60 000 ms. */
  heartbeatTimeoutMs?: number;
  /** Reconnect delays of the event connection. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Told of every event logged (tests and the bench). */
  onLogged?: (events: SwitchboardEvent[]) => void;
}

export interface SwitchIngestStatus {
  switch: string;
  role: "ingesting" | "standby" | "stopped";
  connected: boolean;
  coreUuid: string | null;
  lastEventAt: string | null;
}

export interface EventIngest {
  status(): SwitchIngestStatus[];
  /** Resolves when every switch's recovery that is running or scheduled now has finished. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

const SILENT: IngestLogger = { info() {}, warn() {} };

interface NormalisedBatch {
  ctx: NormaliseContext;
  events: NewEvent[];
  writes: Array<() => Promise<void>>;
  boxes: Array<{ domain_uuid: string; mailbox: string }>;
  newest: number;
}

/** Starts ingesting every switch's events (or standing by for the process that does). */
export function startEventIngest(options: EventIngestOptions): EventIngest {
  const workers = options.switches.map((endpoint) => new SwitchIngest(endpoint, options));
  for (const worker of workers) worker.start();
  return {
    status: () => workers.map((w) => w.status()),
    settled: async () => {
      await Promise.all(workers.map((w) => w.settled()));
    },
    stop: async () => {
      await Promise.all(workers.map((w) => w.stop()));
    },
  };
}

class SwitchIngest {
  private readonly name: string;
  private readonly sql: Sql;
  private readonly log: IngestLogger;
  private role: SwitchIngestStatus["role"] = "standby";
  private stopped = false;
  private reserved: Awaited<ReturnType<Sql["reserve"]>> | null = null;
  private connection: EventConnection | null = null;
  private directory: PbxDirectory | null = null;
  private registrations: RegistrationStore | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private lockCheck: ReturnType<typeof setInterval> | null = null;
  private readonly queue: SwitchEvent[] = [];
  private draining: Promise<void> | null = null;
  private coreUuid: string | null = null;
  private lastEventEpoch: number | null = null;
  private startedEpoch = Date.now() / 1000;
  private readonly recoveries = new Set<Promise<void>>();
  private readonly settleTimers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly endpoint: SwitchEndpoint & { name?: string },
    private readonly options: EventIngestOptions,
  ) {
    this.name = endpoint.name ?? `${endpoint.host}:${endpoint.port}`;
    this.sql = options.sql;
    this.log = options.logger ?? SILENT;
  }

  status(): SwitchIngestStatus {
    return {
      switch: this.name,
      role: this.role,
      connected: this.connection?.connected ?? false,
      coreUuid: this.coreUuid,
      lastEventAt: this.lastEventEpoch === null ? null : new Date(this.lastEventEpoch * 1000).toISOString(),
    };
  }

  async settled(): Promise<void> {
    while (this.recoveries.size > 0 || this.draining) {
      await Promise.all([...this.recoveries, this.draining]);
    }
  }

  start(): void {
    void this.tryTakeOver();
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => void this.tryTakeOver(), this.options.standbyRetryMs ?? 5000);
    this.retryTimer.unref?.();
  }

  /** Standby → ingesting when this process gets the switch's lock. */
  private async tryTakeOver(): Promise<void> {
    if (this.stopped) return;
    try {
      const reserved = await this.sql.reserve();
      const [row] =
        await reserved`select pg_try_advisory_lock(hashtextextended(${`switchboard_events:${this.name}`}, 0)) as ok`;
      if (row?.ok !== true && row?.ok !== "t") {
        reserved.release();
        this.scheduleRetry();
        return;
      }
      if (this.stopped) {
        await reserved`select pg_advisory_unlock_all()`.catch(() => {});
        reserved.release();
        return;
      }
      this.reserved = reserved;
      await this.becomeIngester();
    } catch (error) {
      this.log.warn(`events: cannot take over ${this.name}: ${(error as Error).message}`);
      await this.standDown();
      this.scheduleRetry();
    }
  }

  private async becomeIngester(): Promise<void> {
    const [source] = await this.sql`
      select core_uuid, extract(epoch from last_event_at)::float8 as last_epoch
      from switchboard_event_sources where switch_host = ${this.name}`;
    this.coreUuid = (source?.core_uuid as string | null) ?? null;
    const lastEpoch =
      source?.last_epoch === null || source?.last_epoch === undefined ? null : Number(source.last_epoch);
    const floor = Date.now() / 1000 - (this.options.maxRecoveryMs ?? 86_400_000) / 1000;
    this.lastEventEpoch = lastEpoch === null ? null : Math.max(lastEpoch, floor);
    this.startedEpoch = Date.now() / 1000;
    this.directory = await loadPbxDirectory(this.sql);
    this.registrations = await RegistrationStore.load(this.sql, this.name);
    this.role = "ingesting";
    this.log.info(`events: ingesting ${this.name}`);
    // Losing the lock's connection means another process may take over: stop at once.
    this.lockCheck = setInterval(() => {
      const reserved = this.reserved;
      if (!reserved) return;
      reserved`select 1`.catch(() => {
        this.log.warn(`events: lost the ingest lock of ${this.name}; standing by`);
        void this.standDown().then(() => this.scheduleRetry());
      });
    }, 5000);
    this.lockCheck.unref?.();
    this.connection = connectEvents({
      host: this.endpoint.host,
      port: this.endpoint.port,
      password: this.endpoint.password,
      name: `${this.name} (events)`,
      heartbeatTimeoutMs: this.options.heartbeatTimeoutMs,
      backoff: this.options.backoff,
      onEvent: (event) => this.enqueue(event),
      onConnected: () => this.onConnected(),
      onDisconnected: (error) =>
        this.log.warn(`events: lost the event connection to ${this.name}`, { error: error?.message }),
    });
  }

  private async standDown(): Promise<void> {
    this.role = this.stopped ? "stopped" : "standby";
    if (this.lockCheck) clearInterval(this.lockCheck);
    this.lockCheck = null;
    for (const timer of this.settleTimers) clearTimeout(timer);
    this.settleTimers.clear();
    const connection = this.connection;
    this.connection = null;
    await connection?.close();
    await this.settled().catch(() => {});
    const reserved = this.reserved;
    this.reserved = null;
    if (reserved) {
      await reserved`select pg_advisory_unlock_all()`.catch(() => {});
      reserved.release();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.standDown();
    this.role = "stopped";
  }

  // Live events

  private enqueue(event: SwitchEvent): void {
    this.queue.push(event);
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && this.role === "ingesting") {
      const directory = this.directory;
      const registrations = this.registrations;
      if (!directory || !registrations) return;
      const batch = this.normalise(this.queue.splice(0, 200), contextFor(this.name, directory, registrations));
      // Normalised once (registration state moved on with it); written until the database takes it.
      for (;;) {
        try {
          await this.write(batch);
          break;
        } catch (error) {
          this.log.warn(`events: could not log events of ${this.name}: ${(error as Error).message}`);
          await new Promise((resolve) => setTimeout(resolve, 1000));
          if (this.role !== "ingesting") return;
        }
      }
    }
  }

  private normalise(batch: SwitchEvent[], ctx: NormaliseContext): NormalisedBatch {
    const registrations = this.registrations!;
    const events: NewEvent[] = [];
    const writes: Array<() => Promise<void>> = [];
    const boxes: Array<{ domain_uuid: string; mailbox: string }> = [];
    let newest = this.lastEventEpoch ?? 0;
    let core: string | null = null;
    for (const event of batch) {
      const micros = Number(event.headers["Event-Date-Timestamp"]);
      if (Number.isFinite(micros) && micros > 0) newest = Math.max(newest, micros / 1e6);
      core = event.headers["Core-UUID"] ?? core;
      const result = normaliseSwitchEvent(event, ctx);
      events.push(...result.events);
      if (result.registration) writes.push(registrations.apply(result.registration));
      if (result.voicemailCheck) boxes.push(result.voicemailCheck);
    }
    if (core && core !== this.coreUuid) this.onCoreUuid(core);
    return { ctx, events, writes, boxes, newest };
  }

  private async write(batch: NormalisedBatch): Promise<void> {
    const { ctx, events, boxes, newest } = batch;
    const logged = await appendEvents(this.sql, events);
    // A write that succeeded is not repeated if a later step fails.
    while (batch.writes.length > 0) {
      await batch.writes[0]!();
      batch.writes.shift();
    }
    for (const box of boxes) {
      const rows = await voicemailRowsSince(this.sql, Math.floor(this.startedEpoch) - 300, box).catch(
        unlessMissingTable,
      );
      const voicemails = rows.map((row) => voicemailRowEvent(row, ctx, false)).filter((e) => e !== null);
      logged.push(...(await appendEvents(this.sql, voicemails)));
    }
    if (newest > 0) {
      this.lastEventEpoch = newest;
      await this.sql`
        insert into switchboard_event_sources (switch_host, core_uuid, last_event_at, updated_at)
        values (${this.name}, ${this.coreUuid}, to_timestamp(${newest}), now())
        on conflict (switch_host) do update set
          core_uuid = excluded.core_uuid,
          last_event_at = greatest(switchboard_event_sources.last_event_at, excluded.last_event_at),
          updated_at = now()`;
    }
    if (logged.length > 0) this.options.onLogged?.(logged);
  }

  private onCoreUuid(core: string): void {
    const previous = this.coreUuid;
    this.coreUuid = core;
    if (previous !== null) {
      // FreeSWITCH restarted: every call it had is over. Recovery (already started on reconnect) and the
      // registration comparison find what its rows prove.
      this.log.warn(`events: ${this.name} restarted (Core-UUID ${previous} → ${core})`);
    }
  }

  // Recovery

  private onConnected(): void {
    // What was seen before this connection: everything after it may have been missed.
    const since = this.lastEventEpoch;
    const run = () => {
      const recovery = this.recover(since).finally(() => this.recoveries.delete(recovery));
      this.recoveries.add(recovery);
    };
    run();
    const timer = setTimeout(() => {
      this.settleTimers.delete(timer);
      if (this.role === "ingesting") run();
    }, this.options.recoverySettleMs ?? 10_000);
    timer.unref?.();
    this.settleTimers.add(timer);
  }

  private async recover(since: number | null): Promise<void> {
    const directory = this.directory;
    const registrations = this.registrations;
    const connection = this.connection;
    if (!directory || !registrations || !connection) return;
    const ctx = contextFor(this.name, directory, registrations);
    try {
      const logged: SwitchboardEvent[] = [];
      if (since !== null) {
        logged.push(
          ...(await recoverLiveCalls(
            this.sql,
            ctx,
            parseShowJson(await connection.api("show channels as json", 10_000)),
          )),
        );
        logged.push(...(await recoverTerminalEvents(this.sql, ctx, since)));
      }
      const reply = await connection.api("show registrations as json", 10_000);
      // On the very first start there is no "before": the phones registered now are taken as known.
      logged.push(
        ...(await reconcileRegistrations(this.sql, ctx, registrations, parseRegistrations(reply), {
          log: since !== null,
        })),
      );
      if (logged.length > 0) {
        this.log.info(`events: recovered ${logged.length} events of ${this.name}`);
        this.options.onLogged?.(logged);
      }
    } catch (error) {
      this.log.warn(`events: recovery for ${this.name} failed: ${(error as Error).message}`);
    }
  }
}
