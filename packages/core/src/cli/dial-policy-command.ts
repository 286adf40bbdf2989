import { parseArgs } from "node:util";
import type { Sql } from "@switchboard/db";
import { DEFAULT_DIAL_POLICY } from "../calls/dial-policy.ts";

export const DIAL_POLICY_USAGE = `usage:
  dial-policy show <domain name or uuid>
  dial-policy set <domain name or uuid> [--international yes|no] [--premium yes|no] [--country <code>|none]
                  [--per-user <calls a minute>] [--per-domain <calls a minute>]
  dial-policy reset <domain name or uuid>      (back to the defaults)`;

export class DialPolicyUsageError extends Error {}

const yesNo = (value: string, option: string): boolean => {
  if (/^(yes|true|on)$/i.test(value)) return true;
  if (/^(no|false|off)$/i.test(value)) return false;
  throw new DialPolicyUsageError(`--${option} is yes or no`);
};

const perMinute = (value: string, option: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 100_000)
    throw new DialPolicyUsageError(`--${option} is a whole number of calls a minute (0 to 100000)`);
  return n;
};

async function domainOf(sql: Sql, domain: string): Promise<{ uuid: string; name: string }> {
  const [row] = await sql<{ uuid: string; name: string }[]>`
    select domain_uuid::text as uuid, domain_name as name from v_domains
    where domain_uuid::text = lower(${domain}) or lower(domain_name) = lower(${domain})`;
  if (!row) throw new DialPolicyUsageError(`no domain '${domain}' on this FusionPBX`);
  return row;
}

/** `dial-policy show|set|reset`: the operator's per-domain dial policy (docs/call-policy.md). Returns the exit code. */
export async function dialPolicyCommand(
  argv: readonly string[],
  deps: { sql: Sql; out: (line: string) => void },
): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: [...rest],
    options: {
      international: { type: "string" },
      premium: { type: "string" },
      country: { type: "string" },
      "per-user": { type: "string" },
      "per-domain": { type: "string" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (!command || !["show", "set", "reset"].includes(command) || positionals.length !== 1)
    throw new DialPolicyUsageError(DIAL_POLICY_USAGE);
  const domain = await domainOf(deps.sql, positionals[0]!);
  if (command === "reset") {
    await deps.sql`delete from switchboard_dial_policies where domain_uuid = ${domain.uuid}::uuid`;
  } else if (command === "set") {
    const country = values.country;
    if (country !== undefined && country !== "none" && !/^[1-9][0-9]{0,2}$/.test(country))
      throw new DialPolicyUsageError("--country is a country calling code like 1 or 44, or none");
    const d = DEFAULT_DIAL_POLICY;
    await deps.sql`insert into switchboard_dial_policies (domain_uuid, allow_international, allow_premium, country_code, calls_per_user_per_minute, calls_per_domain_per_minute)
      values (${domain.uuid}::uuid, ${d.allowInternational}, ${d.allowPremium}, ${d.countryCode}, ${d.callsPerUserPerMinute}, ${d.callsPerDomainPerMinute})
      on conflict (domain_uuid) do nothing`;
    if (values.international !== undefined)
      await deps.sql`update switchboard_dial_policies set allow_international = ${yesNo(values.international, "international")}, updated_at = now() where domain_uuid = ${domain.uuid}::uuid`;
    if (values.premium !== undefined)
      await deps.sql`update switchboard_dial_policies set allow_premium = ${yesNo(values.premium, "premium")}, updated_at = now() where domain_uuid = ${domain.uuid}::uuid`;
    if (country !== undefined)
      await deps.sql`update switchboard_dial_policies set country_code = ${country === "none" ? null : country}, updated_at = now() where domain_uuid = ${domain.uuid}::uuid`;
    if (values["per-user"] !== undefined)
      await deps.sql`update switchboard_dial_policies set calls_per_user_per_minute = ${perMinute(values["per-user"], "per-user")}, updated_at = now() where domain_uuid = ${domain.uuid}::uuid`;
    if (values["per-domain"] !== undefined)
      await deps.sql`update switchboard_dial_policies set calls_per_domain_per_minute = ${perMinute(values["per-domain"], "per-domain")}, updated_at = now() where domain_uuid = ${domain.uuid}::uuid`;
  }
  const [row] = await deps.sql<{ i: boolean; p: boolean; c: string | null; u: number; d: number }[]>`
    select allow_international as i, allow_premium as p, country_code as c, calls_per_user_per_minute as u, calls_per_domain_per_minute as d
    from switchboard_dial_policies where domain_uuid = ${domain.uuid}::uuid`;
  const d = DEFAULT_DIAL_POLICY;
  const policy = row ?? {
    i: d.allowInternational,
    p: d.allowPremium,
    c: d.countryCode,
    u: d.callsPerUserPerMinute,
    d: d.callsPerDomainPerMinute,
  };
  deps.out(`domain:         ${domain.name}${row ? "" : " (defaults)"}`);
  deps.out(`international:  ${policy.i ? "allowed" : "refused"}`);
  deps.out(`premium-rate:   ${policy.p ? "allowed" : "refused"}`);
  deps.out(`country code:   ${policy.c ?? "none (every + number is international)"}`);
  deps.out(`calls a minute: ${policy.u} per user or key, ${policy.d} per domain`);
  return 0;
}
