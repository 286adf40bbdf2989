import { z } from "zod";
import { defineAction } from "../action.ts";
import { announceKeyChanged, keyChanged } from "../auth/key-events.ts";
import { conflict, forbidden } from "../errors.ts";
import { FUSIONPBX_APPS } from "../fusionpbx/apps.ts";
import {
  countDomainRows,
  DOMAIN_HOUSEKEEPING_TABLES,
  deleteDomainRows,
  describeDomainRows,
  domainTables,
} from "../fusionpbx/domain-rows.ts";
import { domainNameInput } from "../fusionpbx/domain-name.ts";
import { flushAllCaches } from "../fusionpbx/flush.ts";
import { reloadXml } from "../fusionpbx/cache.ts";
import { deleteRows, requireRow } from "../fusionpbx/rows.ts";
import { logTransaction } from "../fusionpbx/transaction-log.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { flagInput } from "../fusionpbx/values.ts";

export const BOUND_KEY_CANNOT_DELETE =
  "a key bound to a domain cannot delete it; use an admin key that is bound to no domain";

const output = z.object({
  domain_uuid: z.string(),
  deleted: z.literal(true),
  /** Rows deleted with the domain, by table (tables with none left out). */
  removed: z.record(z.string(), z.number().int()),
  /** API keys that were bound to the domain, now revoked. */
  revoked_keys: z.number().int(),
  applied: z.boolean(),
});

/**
 * FusionPBX's domain delete (docs/fusionpbx-writes.md §9), made safe. The domain is named by `domain_uuid` or
 * `domain_name`. In one transaction, the domain row
 * locked, then refused (CONFLICT, nothing written) while the domain still holds anything besides its
 * settings and dialplans, or keys bound to it — unless `force` is true. Deleting removes the domain's rows
 * from every FusionPBX table that has them (as FusionPBX does, but keeping the transaction log), revokes the
 * keys bound to it, drops its dial policy, writes one transaction log row, then clears the whole cache and
 * reloads the XML on every switch. Files on the switch (recordings, voicemail, fax) are left in place.
 */
export const domainDelete = defineAction({
  name: "domain-delete",
  path: "domains.delete",
  summary:
    "Deletes an empty domain (or, with force, the domain and everything in it) in one transaction; admin keys bound to no domain.",
  scope: "admin",
  domain: { by: "input", uuid: "domain_uuid", name: "domain_name", whenAbsent: "refuse" },
  kind: "mutation",
  input: z.object({
    domain_uuid: uuidInput("domain_uuid").optional(),
    /** The domain by name, instead of `domain_uuid`. */
    domain_name: domainNameInput.optional(),
    /** Also delete the domain's extensions, destinations, users, call records, … and revoke its keys. */
    force: flagInput.default(false),
  }),
  output,
  legacy: { required: [], statuses: [409] },
  async handler(ctx, input, domain) {
    if (ctx.caller.domainUuid !== null) throw forbidden(BOUND_KEY_CANNOT_DELETE);
    const domainUuid = domain.domain_uuid;
    const result = await ctx.sql.begin(async (tx) => {
      const old = await requireRow(tx, ctx.schema, "v_domains", { domain_uuid: domainUuid }, null, "domain not found", {
        forUpdate: true,
      });
      const counts = await countDomainRows(tx, await domainTables(tx), domainUuid);
      const keys = ctx.schema.hasTable("switchboard_key_policies")
        ? (
            await tx<{ key_uuid: string }[]>`
              select key_uuid::text as key_uuid from switchboard_key_policies where domain_uuid = ${domainUuid}::uuid`
          ).map((k) => k.key_uuid)
        : [];
      if (!input.force) {
        const blocking = Object.fromEntries(
          Object.entries(counts).filter(([table]) => !DOMAIN_HOUSEKEEPING_TABLES.has(table)),
        );
        const held = [describeDomainRows(blocking), keys.length ? `API keys bound to it: ${keys.length}` : ""].filter(
          Boolean,
        );
        if (held.length > 0) {
          throw conflict(
            `domain ${domain.domain_name} is not empty (${held.join(", ")}); delete those first, or send force: true to delete the domain with everything in it`,
          );
        }
      }
      const removed: Record<string, number> = {};
      for (const table of Object.keys(counts)) removed[table] = await deleteDomainRows(tx, table, domainUuid);
      for (const key of keys) {
        await tx`delete from rest_api_keys where key_uuid = ${key}::uuid`;
        await tx`delete from switchboard_key_policies where key_uuid = ${key}::uuid`;
        await announceKeyChanged(tx, key);
      }
      if (ctx.schema.hasTable("switchboard_dial_policies")) {
        await tx`delete from switchboard_dial_policies where domain_uuid = ${domainUuid}::uuid`;
      }
      await deleteRows(tx, ctx.schema, "v_domains", { domain_uuid: domainUuid });
      await logTransaction(tx, ctx, {
        app: FUSIONPBX_APPS.domains,
        domainUuid,
        type: "delete",
        old: { domains: [old] },
        new: { domains: [{ domain_uuid: domainUuid }] },
      });
      return { removed, keys };
    });
    for (const key of result.keys) keyChanged(key);
    const flushed = await flushAllCaches(ctx);
    const reloaded = await reloadXml(ctx.switches).then(
      (r) => r.applied,
      () => false,
    );
    return {
      domain_uuid: domainUuid,
      deleted: true as const,
      removed: result.removed,
      revoked_keys: result.keys.length,
      applied: flushed && reloaded,
    };
  },
});
