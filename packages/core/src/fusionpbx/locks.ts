import type { TransactionSql } from "@switchboard/db";

/**
 * Serialises writers that check-then-insert the same thing (a destination number, an extension in a
 * domain): a transaction-scoped advisory lock, released at commit or rollback. Every action that checks
 * uniqueness of the same kind must lock the same `kind` and `key`.
 */
export async function lockForUniqueness(tx: TransactionSql, kind: string, key: string): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtextextended(${`switchboard:${kind}:${key}`}, 0))`;
}

/** Lock kinds shared by every action that writes these rows. */
export const LOCK = {
  /** Inbound destination numbers are unique across every domain (the original's check is global). */
  destinationNumber: "destination-number",
  /** `<domain_uuid>:<extension>` */
  extension: "extension",
  /** `<domain_uuid>:<ring_group_extension>` */
  ringGroupExtension: "ring-group-extension",
  /** `<domain_uuid>:<number>`: the clash check of ring groups and destinations (number-clash.ts), taken last. */
  domainNumber: "domain-number",
  /** A lower-cased domain name: FusionPBX compares `lower(domain_name)`. */
  domainName: "domain-name",
} as const;
