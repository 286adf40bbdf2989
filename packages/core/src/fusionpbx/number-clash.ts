import type { TransactionSql } from "@switchboard/db";
import { conflict } from "../errors.ts";
import { LOCK, lockForUniqueness } from "./locks.ts";

/** What a number of a domain already is, so a new one does not take it. */
type Owner = "extension" | "ring group" | "inbound number";

/**
 * Refuses `number` when it is already an extension (or an extension's number alias), a ring group or an
 * inbound number (destination) of the domain, other than the row being changed (`except`). A call to a
 * number that is two things rings whichever the dialplan matches first, so the clash is refused instead.
 * Two clash-checked writes of the same number in a domain are serialised by one lock, taken after the
 * caller's own uniqueness lock (one more lock kind, always last, so no two writers wait on each other in a cycle).
 */
export async function refuseNumberClash(
  tx: TransactionSql,
  domainUuid: string,
  number: string,
  except: { kind: Owner; uuid: string | null },
): Promise<void> {
  await lockForUniqueness(tx, LOCK.domainNumber, `${domainUuid}:${number}`);
  const other = (kind: Owner) => (except.kind === kind ? except.uuid : null);
  const rows = await tx<{ owner: Owner }[]>`
    select 'extension' as owner from v_extensions
      where domain_uuid = ${domainUuid}::uuid and (extension = ${number} or number_alias = ${number})
        and (${other("extension")}::uuid is null or extension_uuid <> ${other("extension")}::uuid)
    union all
    select 'ring group' from v_ring_groups
      where domain_uuid = ${domainUuid}::uuid and ring_group_extension = ${number}
        and (${other("ring group")}::uuid is null or ring_group_uuid <> ${other("ring group")}::uuid)
    union all
    select 'inbound number' from v_destinations
      where domain_uuid = ${domainUuid}::uuid
        and (destination_number = ${number} or coalesce(destination_prefix, '') || destination_number = ${number})
        and (${other("inbound number")}::uuid is null or destination_uuid <> ${other("inbound number")}::uuid)
    limit 1`;
  const owner = rows[0]?.owner;
  if (owner)
    throw conflict(`${number} is already ${owner === "ring group" ? "a" : "an"} ${owner} of this domain`, {
      legacyStatus: 400,
    });
}
