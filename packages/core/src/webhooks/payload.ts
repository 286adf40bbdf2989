import { Webhook } from "standardwebhooks";
import { pgTimestampToIso } from "../contracts/pdo.ts";

/** An event as the log holds it (switchboard_events). */
export interface EventRow {
  seq: string | number | bigint;
  event_id: string;
  type: string;
  domain_uuid: string | null;
  call_id: string | null;
  call_seq: number | null;
  occurred_at: Date | string;
  reconciled: boolean;
  data: unknown;
}

/** The event envelope: what webhooks carry under `data` (and what the event log's readers return). */
export function envelopeOf(row: EventRow) {
  return {
    id: row.event_id,
    seq: Number(row.seq),
    type: row.type,
    domain_uuid: row.domain_uuid,
    call_id: row.call_id,
    call_seq: row.call_seq,
    occurred_at: new Date(
      row.occurred_at instanceof Date ? row.occurred_at : pgTimestampToIso(row.occurred_at),
    ).toISOString(),
    reconciled: row.reconciled,
    // The driver hands jsonb over as PostgreSQL's text, as PDO does.
    data: typeof row.data === "string" ? (JSON.parse(row.data) as unknown) : row.data,
  };
}

/**
 * The Standard Webhooks body `{type, timestamp, data}`; built from the log row at every attempt, so every
 * retry and replay sends the same bytes.
 */
export function webhookBody(row: EventRow): string {
  const envelope = envelopeOf(row);
  return JSON.stringify({ type: envelope.type, timestamp: envelope.occurred_at, data: envelope });
}

/** `webhook-id` (the event's stable id), `webhook-timestamp` (this attempt) and `webhook-signature` (v1). */
export function signedHeaders(secret: string, id: string, body: string, at: Date): Record<string, string> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, body),
  };
}
