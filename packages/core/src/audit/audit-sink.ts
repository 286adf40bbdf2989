import type { Sql } from "@switchboard/db";
import { v7 as timeOrderedUuid } from "uuid";

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

/** What the sink has done since it started, for `/health` and logs. */
export interface AuditSinkStats {
  /** Rows written to switchboard_audit. */
  written: number;
  /** Insert statements that failed (each retried, split or dropped). */
  failed: number;
  /** Rows given up: refused by PostgreSQL on their own, or pushed out of a full buffer during an outage. */
  dropped: number;
  /** Rows waiting to be written. */
  buffered: number;
  /** The last failure's cause, one line, and when it happened; null while nothing has failed. */
  lastError: { message: string; at: string } | null;
}

export interface AuditSink {
  record(entry: AuditEntry): void;
  /** Writes everything buffered; call before shutdown and in tests before reading the table. */
  flush(): Promise<void>;
  /** What the sink has done (createAuditSink's sinks always have it; a test's recorder may not). */
  stats?(): AuditSinkStats;
}

/**
 * An entry with the primary key it was given when recorded, so a retried write never lands twice. The key is
 * a version 7 uuid, which starts with the time: each new row lands at the right edge of the primary key's
 * index instead of on a random page of it (with 2,000,000 rows in the table, about half of PostgreSQL's CPU
 * per row; bench/notes.md).
 */
interface Queued {
  auditUuid: string;
  entry: AuditEntry;
  /** A write carrying this row was sent: whether it landed is unknown until one answers. */
  sent: boolean;
}

/** switchboard_audit's columns and each one's value, in the order both statements list them. */
const FIELDS: readonly (readonly [string, (e: Queued) => string | number | null])[] = [
  ["audit_uuid", (e) => e.auditUuid],
  ["occurred_at", (e) => e.entry.at.toISOString()],
  ["face", (e) => e.entry.face],
  ["key_uuid", (e) => e.entry.keyId],
  ["slack_user_id", (e) => e.entry.slackUserId],
  ["slack_team_id", (e) => e.entry.slackTeamId],
  ["action", (e) => e.entry.action],
  ["domain_uuid", (e) => e.entry.domainUuid],
  ["outcome", (e) => e.entry.outcome],
  ["error_code", (e) => e.entry.errorCode],
  ["request_id", (e) => e.entry.requestId],
  ["address", (e) => e.entry.address],
  ["duration_ms", (e) => e.entry.durationMs],
];

const COLUMNS = FIELDS.map(([name]) => name).join(", ");

/** One audit row as a JSON object keyed by column. */
const auditRow = (e: Queued) => Object.fromEntries(FIELDS.map(([name, value]) => [name, value(e)]));

/**
 * Rows no write has carried yet go in by `COPY … FROM STDIN`: PostgreSQL spends ~4 µs of CPU per row on it
 * against ~11–13 µs for an INSERT of the same rows from a JSON parameter (bench/notes.md), and the API writes
 * one audit row per request. COPY has no `on conflict`, so it is only for rows that cannot be there yet.
 */
const COPY = `copy switchboard_audit (${COLUMNS}) from stdin`;

/**
 * Rows a write was already sent with (its answer lost, or refused because of a row beside them) go in through
 * one statement text and one parameter: the batch as a JSON array, which PostgreSQL turns
 * back into rows of the table's own types. A write retried after its answer was lost finds its rows already
 * there and adds nothing.
 */
const INSERT_AGAIN = `insert into switchboard_audit (${COLUMNS})
  select ${COLUMNS} from json_populate_recordset(null::switchboard_audit, $1::json)
  on conflict (audit_uuid) do nothing`;

const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** A value in COPY's text format: `\N` for null; backslash, tab, newline and carriage return escaped. */
function copyValue(value: string | number | null): string {
  return value === null ? "\\N" : String(value).replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!);
}

/** One row of COPY's text format, in COLUMNS order, with its newline. */
const copyLine = (e: Queued) => `${FIELDS.map(([, value]) => copyValue(value(e))).join("\t")}\n`;

/**
 * PostgreSQL refused the rows themselves (SQLSTATE class 22, data exception: a malformed uuid, a NUL byte;
 * class 23, integrity), as opposed to the database being unreachable, slow or missing the table, after which
 * the same rows are worth trying again.
 */
export function isRowProblem(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^2[23][0-9A-Z]{3}$/.test(code);
}

const oneLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").trim();

export interface AuditSinkOptions {
  intervalMs?: number;
  maxBatch?: number;
  /** Entries held while the database is slow or down; beyond it the oldest are dropped and reported. */
  maxBuffered?: number;
  /** A write still unanswered after this long counts as failed and is retried (default 10 s). */
  writeTimeoutMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Buffers audit rows and writes them in batches, so auditing every request costs the hot path no round
 * trip. A full batch is written at once, back to back, without waiting for the timer. When PostgreSQL
 * refuses a batch because of what is in it, the batch is split until the refused rows are alone; those are
 * dropped, logged with their cause and counted, and every other row is written. When the database itself
 * fails (down, slow, table missing) the rows stay for the next try; the buffer is bounded so an outage
 * cannot exhaust memory, and a write that never answers cannot hold the sink up.
 */
export function createAuditSink(sql: Sql, options: AuditSinkOptions = {}): AuditSink & { stats(): AuditSinkStats } {
  const intervalMs = options.intervalMs ?? 200;
  const maxBatch = options.maxBatch ?? 500;
  const maxBuffered = options.maxBuffered ?? 50_000;
  const writeTimeoutMs = options.writeTimeoutMs ?? 10_000;
  let buffer: Queued[] = [];
  const counts = { written: 0, failed: 0, dropped: 0 };
  let lastError: AuditSinkStats["lastError"] = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let writing: Promise<void> | null = null;

  const report = (error: unknown) => {
    lastError = { message: oneLine(error), at: new Date().toISOString() };
    options.onError?.(error);
  };

  const copy = async (rows: Queued[]) => {
    const text = rows.map(copyLine).join("");
    // A connection of its own for the COPY: the driver pipelines queries onto busy connections, and anything
    // sent on one in the middle of a COPY breaks the protocol (PostgreSQL ends that session).
    const connection = await sql.reserve();
    try {
      const stream = await connection.unsafe(COPY).writable();
      await new Promise<void>((resolve, reject) => {
        stream.once("error", reject);
        stream.once("finish", resolve);
        stream.end(text);
      });
    } finally {
      connection.release();
    }
  };

  const insert = async (rows: Queued[]) => {
    const again = rows.some((row) => row.sent);
    for (const row of rows) row.sent = true;
    const sending = again ? sql.unsafe(INSERT_AGAIN, [JSON.stringify(rows.map(auditRow))]) : copy(rows);
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      deadline = setTimeout(
        () => reject(new Error(`audit write unanswered after ${writeTimeoutMs} ms`)),
        writeTimeoutMs,
      );
    });
    try {
      await Promise.race([sending, timeout]);
    } finally {
      clearTimeout(deadline);
    }
  };

  /** Writes `rows`, splitting on row problems. Returns the rows still to retry (from the first that met an outage). */
  const write = async (rows: Queued[]): Promise<Queued[]> => {
    try {
      await insert(rows);
      counts.written += rows.length;
      return [];
    } catch (error) {
      counts.failed++;
      if (!isRowProblem(error)) {
        report(error);
        return rows;
      }
      if (rows.length === 1) {
        const e = rows[0]!.entry;
        counts.dropped++;
        report(new Error(`audit row dropped (request ${e.requestId}, ${e.face} ${e.action}): ${oneLine(error)}`));
        return [];
      }
      const half = Math.ceil(rows.length / 2);
      const left = await write(rows.slice(0, half));
      if (left.length > 0) return left.concat(rows.slice(half));
      return write(rows.slice(half));
    }
  };

  const drain = async () => {
    while (buffer.length > 0) {
      const batch = buffer.slice(0, maxBatch);
      buffer = buffer.slice(batch.length);
      const retry = await write(batch);
      if (retry.length > 0) {
        buffer = retry.concat(buffer);
        trim();
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
    counts.dropped += over;
    report(new Error(`audit buffer full: dropped the ${over} oldest entries`));
  };

  return {
    record(entry) {
      buffer.push({ auditUuid: timeOrderedUuid(), entry, sent: false });
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
    stats: () => ({ ...counts, buffered: buffer.length, lastError }),
  };
}
