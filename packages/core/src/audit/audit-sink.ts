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

/**
 * Buffers audit rows and writes them in one multi-row insert, so auditing every request costs the hot path
 * no round trip. A failed write is reported to `onError` and the rows are kept for the next flush.
 */
export function createAuditSink(sql: Sql, options: { intervalMs?: number; maxBatch?: number; onError?: (e: unknown) => void } = {}): AuditSink {
  const intervalMs = options.intervalMs ?? 200;
  const maxBatch = options.maxBatch ?? 500;
  let buffer: AuditEntry[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: Promise<void> = Promise.resolve();

  const write = async () => {
    timer = null;
    if (buffer.length === 0) return;
    const batch = buffer.slice(0, maxBatch);
    buffer = buffer.slice(batch.length);
    const rows = batch.map((e) => ({
      face: e.face,
      key_uuid: e.keyId,
      slack_user_id: e.slackUserId,
      slack_team_id: e.slackTeamId,
      action: e.action,
      domain_uuid: e.domainUuid,
      outcome: e.outcome,
      error_code: e.errorCode,
      request_id: e.requestId,
      address: e.address,
      duration_ms: e.durationMs,
      occurred_at: e.at.toISOString(),
    }));
    try {
      await sql`insert into switchboard_audit ${sql(rows)}`;
    } catch (error) {
      buffer = batch.concat(buffer).slice(0, 10_000);
      options.onError?.(error);
    }
    if (buffer.length > 0) schedule();
  };
  const schedule = () => {
    if (!timer) timer = setTimeout(() => (inFlight = inFlight.then(write)), intervalMs);
  };
  return {
    record(entry) {
      buffer.push(entry);
      schedule();
    },
    async flush() {
      if (timer) clearTimeout(timer);
      timer = null;
      inFlight = inFlight.then(write);
      await inFlight;
    },
  };
}
