import type { Queryable } from "@switchboard/db";
import { canonicalUuid } from "./uuid.ts";

/**
 * FusionPBX's `settings->get(category, subcategory)`: the enabled `v_default_settings` row, overridden by an
 * enabled `v_domain_settings` row of the domain (docs/fusionpbx-writes.md §2). Rows with an empty value are
 * skipped; the value is trimmed; null when unset. (User settings do not apply: API callers are not FusionPBX
 * users.) A null domain reads the default settings only.
 */
export async function getSetting(
  sql: Queryable,
  domainUuid: string | null,
  category: string,
  subcategory: string,
): Promise<string | null> {
  const domain = domainUuid ? canonicalUuid(domainUuid) : null;
  if (domain) {
    const rows = await sql<{ value: string }[]>`
      select domain_setting_value as value from v_domain_settings
      where domain_uuid = ${domain} and domain_setting_category = ${category}
        and domain_setting_subcategory = ${subcategory} and domain_setting_enabled::text = 'true'
        and coalesce(domain_setting_value, '') <> ''
      order by domain_setting_order nulls last limit 1`;
    if (rows[0]) return rows[0].value.trim();
  }
  const rows = await sql<{ value: string }[]>`
    select default_setting_value as value from v_default_settings
    where default_setting_category = ${category} and default_setting_subcategory = ${subcategory}
      and default_setting_enabled::text = 'true' and coalesce(default_setting_value, '') <> ''
    order by default_setting_order nulls last limit 1`;
  return rows[0]?.value.trim() ?? null;
}

/** A `boolean`-named setting: true/false, or `fallback` when unset (callers pass FusionPBX's stock defaults). */
export async function getBooleanSetting(
  sql: Queryable,
  domainUuid: string | null,
  category: string,
  subcategory: string,
  fallback: boolean,
): Promise<boolean> {
  const value = await getSetting(sql, domainUuid, category, subcategory);
  if (value === null) return fallback;
  return value.toLowerCase() === "true";
}
