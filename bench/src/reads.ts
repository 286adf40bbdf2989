import type { Queryable, Row } from "../../packages/db/src/index.ts";

/**
 * The SQL behind each measured read, exactly as docs/original-api.md §5 gives it (and as the actions run
 * it): the ceiling runs it with no HTTP and behind a bare Bun.serve handler.
 */
export const READS = {
  "domain-details": {
    single: true,
    run: (sql: Queryable, domainUuid: string): Promise<Row[]> =>
      sql`SELECT * FROM v_domains WHERE domain_uuid = ${domainUuid}`,
  },
  "extension-list": {
    single: false,
    run: (sql: Queryable, domainUuid: string): Promise<Row[]> =>
      sql`SELECT extension_uuid, extension, emergency_caller_id_number FROM v_extensions WHERE v_extensions.domain_uuid = ${domainUuid}`,
  },
  "cdr-list": {
    single: false,
    run: (sql: Queryable, domainUuid: string): Promise<Row[]> =>
      sql`SELECT xml_cdr_uuid, extension_uuid, direction, start_stamp, end_stamp, hangup_cause, duration, missed_call, record_name, bridge_uuid, caller_id_name, caller_id_number, caller_destination, source_number, destination_number, leg FROM v_xml_cdr WHERE domain_uuid = ${domainUuid} ORDER BY end_stamp DESC LIMIT 100`,
  },
} as const;

export type ReadName = keyof typeof READS;
