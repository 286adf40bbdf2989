import type { Queryable } from "@switchboard/db";

/**
 * FusionPBX's `$settings->get(category, subcategory, fallback)` for one domain (fusionpbx-behaviour.md §0):
 * an enabled, non-empty `v_domain_settings` row of the domain wins over an enabled `v_default_settings` row.
 */
export async function settingText(q: Queryable, domainUuid: string, category: string, subcategory: string): Promise<string | null> {
  const rows = await q<{ value: string | null }[]>`
    select value from (
      select domain_setting_value as value, 1 as rank from v_domain_settings
      where domain_uuid = ${domainUuid}::uuid and domain_setting_category = ${category}
        and domain_setting_subcategory = ${subcategory} and domain_setting_enabled::text = 'true'
        and coalesce(domain_setting_value, '') <> ''
      union all
      select default_setting_value, 2 from v_default_settings
      where default_setting_category = ${category} and default_setting_subcategory = ${subcategory}
        and default_setting_enabled::text = 'true' and coalesce(default_setting_value, '') <> ''
    ) s order by rank limit 1`;
  return rows[0]?.value?.trim() ?? null;
}

/** A boolean setting; `fallback` when unset (FusionPBX's stock defaults are passed by the callers). */
export async function settingBoolean(q: Queryable, domainUuid: string, category: string, subcategory: string, fallback: boolean) {
  const value = await settingText(q, domainUuid, category, subcategory);
  if (value === null) return fallback;
  return value.toLowerCase() === "true";
}
