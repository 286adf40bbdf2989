import { separateArguments } from "./fake-originate.ts";
import type { RegistrationRow } from "./fake-tables.ts";

/** A SIP profile as `sofia status` lists it, with its aliases and gateways. */
export interface SofiaProfile {
  name: string;
  port: number;
  aliases?: string[];
  gateways?: Array<{ name: string; data: string; state: string }>;
}

export const DEFAULT_PROFILES: SofiaProfile[] = [
  { name: "internal", port: 5060 },
  { name: "external", port: 5080 },
];

const pad = (text: string, width: number) => text.padStart(width, " ");
const row = (name: string, type: string, data: string, state: string) =>
  `${pad(name, 25)}\t${pad(type, 7)}\t  ${pad(data, 40)}\t${state}\n`;
const SEPARATOR = `${"=".repeat(97)}\n`;

/** mod_sofia's `sofia status` table (docs/event-socket.md §8): `"%25s\t%s\t  %40s\t%s\n"` rows between 97-`=` rules. */
export function sofiaStatus(
  profiles: readonly SofiaProfile[],
  ipv4: string,
  inUse: (profile: string) => number,
): string {
  let text = row("Name", "Type", "Data", "State") + SEPARATOR;
  let aliasCount = 0;
  for (const profile of profiles) {
    text += row(profile.name, "profile", `sip:mod_sofia@${ipv4}:${profile.port}`, `RUNNING (${inUse(profile.name)})`);
    for (const alias of profile.aliases ?? []) {
      text += row(alias, "alias", profile.name, "ALIASED");
      aliasCount++;
    }
    for (const gateway of profile.gateways ?? [])
      text += row(`${profile.name}::${gateway.name}`, "gateway", gateway.data, gateway.state);
  }
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return `${text}${SEPARATOR}${plural(profiles.length, "profile", "profiles")} ${plural(aliasCount, "alias", "aliases")}\n`;
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The profile a registration belongs to, from its `url` (`sofia/<profile>/sip:…`). */
export function registrationProfile(registration: RegistrationRow): string {
  return /^sofia\/([^/]+)\//.exec(registration.url)?.[1] ?? "internal";
}

/** `sofia xmlstatus profile <p> reg` (docs/event-socket.md §8): `Invalid Profile!` (no `-`) for an unknown profile. */
export function sofiaXmlStatus(
  argText: string,
  profiles: readonly SofiaProfile[],
  registrations: readonly RegistrationRow[],
): string | null {
  const args = separateArguments(argText);
  if (args[0] !== "xmlstatus" || args[1] !== "profile" || !args[2]) return null;
  const profile = args[2];
  if (!profiles.some((p) => p.name === profile)) return "Invalid Profile!\n";
  if (args[3] !== undefined && args[3] !== "reg") return null;
  const now = Math.floor(Date.now() / 1000);
  let text = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<profile>\n  <registrations>\n';
  for (const reg of registrations.filter((r) => registrationProfile(r) === profile)) {
    const expires = Number(reg.expires) || now;
    const expiry = new Date(expires * 1000).toISOString().replace("T", " ").slice(0, 19);
    const transport = (reg.network_proto || "udp").toLowerCase();
    const fields: Array<[string, string]> = [
      ["call-id", reg.token],
      ["user", `${reg.reg_user}@${reg.realm}`],
      ["contact", xmlEscape(`"" <sip:${reg.reg_user}@${reg.network_ip}:${reg.network_port};transport=${transport}>`)],
      ["agent", "FakeSwitch"],
      [
        "status",
        `Registered(${transport.toUpperCase()})(unknown) exp(${expiry}) expsecs(${Math.max(0, expires - now)})`,
      ],
      ["ping-status", "Reachable"],
      ["ping-time", "0.00"],
      ["host", reg.hostname],
      ["network-ip", reg.network_ip],
      ["network-port", reg.network_port],
      ["sip-auth-user", encodeURIComponent(reg.reg_user)],
      ["sip-auth-realm", reg.realm],
      ["mwi-account", `${reg.reg_user}@${reg.realm}`],
    ];
    text += "    <registration>\n";
    for (const [name, value] of fields) text += `        <${name}>${value}</${name}>\n`;
    text += "    </registration>\n";
  }
  return `${text}  </registrations>\n</profile>\n`;
}
