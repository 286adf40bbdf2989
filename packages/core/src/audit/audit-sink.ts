import type { Sql } from "@switchboard/db";

export interface AuditEntry {
  face: string;
  keyId: string | null;
  slackUserId: string | null;
  slackTeamId: string | null;
  action: string;
  domainUuid: string | null;
  outcome: string;
  errorCode: string | null;
  requestId: string;
  address: string | null;
  durationMs: number;
  at: Date;
}

export interface AuditSink {
  record(entry: AuditEntry): void;
  /** Writes everything buffered; call before shutdown and in tests before reading the table. */
  flush(): Promise<void>;
}

/** The audit table's columns with their types, in the order the one fixed insert statement lists them. */
const COLUMNS = [
  ["occurred_at", "timestamptz", (e: AuditEntry) => e.at.toISOString()],
  ["face", "text", (e: AuditEntry) => e.face],
  ["key_uuid", "uuid", (e: AuditEntry) => e.keyId],
  ["slack_user_id", "text", (e: AuditEntry) => e.slackUserId],
  ["slack_team_id", "text", (e: AuditEntry) => e.slackTeamId],
  ["action", "text", (e: AuditEntry) => e.action],
  ["domain_uuid", "uuid", (e: AuditEntry) => e.domainUuid],
  ["outcome", "text", (e: AuditEntry) => e.outcome],
  ["error_code", "text", (e: AuditEntry) => e.errorCode],
  ["request_id", "text", (e: AuditEntry) => e.requestId],
  ["address", "text", (e: AuditEntry) => e.address],
  ["duration_ms", "int", (e: AuditEntry) => String(e.durationMs)],
] as const;

/**
 * One statement text whatever the batch size: each column travels as one text[] parameter and `unnest`
 * turns them back into rows. (A `values (…),(…)` list per batch size would make the driver prepare and keep
 * a new statement for every size it meets, on every connection.)
 */
const INSERT = `insert into switchboard_audit (${COLUMNS.map(([name]) => name).join(", ")})
  select * from unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::text[]::${type}[]`).join(", ")})`;

export interface AuditSinkOptions {
  intervalMs?: number;
  maxBatch?: number;
  /** Entries held while the database is slow or down; beyond it the oldest are dropped and reported. */
  maxBuffered?: number;
  onError?: (error: unknown) => void;
}

/**
 * Buffers audit rows and writes them in batches, so auditing every request costs the hot path no round
 * trip. A full batch is written at once, back to back, without waiting for the timer; a failed write keeps
 * its rows for the next try; the buffer is bounded so an outage cannot exhaust memory.
 */
export function createAuditSink(sql: Sql, options: AuditSinkOptions = {}): AuditSink & { dropped(): number } {
  const intervalMs = options.intervalMs ?? 200;
  const maxBatch = options.maxBatch ?? 500;
  const maxBuffered = options.maxBuffered ?? 50_000;
  let buffer: AuditEntry[] = [];
  let droppedCount = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let writing: Promise<void> | null = null;

  const writeBatch = async (batch: AuditEntry[]) => {
    const columns = COLUMNS.map(([, , value]) => batch.map((e) => value(e)));
    await sql.unsafe(INSERT, columns as never[]);
  };

  const drain = async () => {
    while (buffer.length > 0) {
      const batch = buffer.slice(0, maxBatch);
      buffer = buffer.slice(batch.length);
      try {
        await writeBatch(batch);
      } catch (error) {
        buffer = batch.concat(buffer);
        trim();
        options.onError?.(error);
        schedule();
        return;
      }
      if (buffer.length < maxBatch) break;
    }
    if (buffer.length > 0) schedule();
  };

  const start = () => {
    if (writing) return writing;
    writing = drain().finally(() => {
      writing = null;
    });
    return writing;
  };

  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      void start();
    }, intervalMs);
  };

  const trim = () => {
    const over = buffer.length - maxBuffered;
    if (over <= 0) return;
    buffer = buffer.slice(over);
    droppedCount += over;
    options.onError?.(new Error(`audit buffer full: dropped the ${over} oldest entries (${droppedCount} in all)`));
  };

  return {
    record(entry) {
      buffer.push(entry);
      trim();
      if (buffer.length >= maxBatch) void start();
      else schedule();
    },
    async flush() {
      if (timer) clearTimeout(timer);
      timer = null;
      while (writing) await writing;
      await start();
      while (writing) await writing;
    },
    dropped: () => droppedCount,
  };
}
