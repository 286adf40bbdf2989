import { regexLiteral } from "./numbers.ts";
import { xmlAttribute } from "./xml.ts";

/** App uuids FusionPBX keys dialplans by. */
export const APP_UUID = {
  inboundRoutes: "c03b422e-13a8-bd1b-e42b-b6b9b4d27ce4",
  ringGroups: "1d61fb65-1eec-bc73-a6ee-a6203b4fe6f2",
  destinations: "5ec89622-b19c-3559-64f0-afde802ab139",
  /** The original REST API app (`app_config.php` of fusionpbx-rest-api). */
  restApi: "2bfe71d9-e112-4b8b-bcff-75aeb0e06302",
} as const;

/** `^(<number>)$`: the destination's `destination_number_regex` and its condition detail. */
export function exactNumberRegex(number: string): string {
  return `^(${regexLiteral(number)})$`;
}

/**
 * The inbound-route XML the original's destination-create writes (original-actions.md §6.2): lines joined
 * by `\n`, no trailing newline, the `\+?1?` prefix, and the original's spacing before `/>`. Every value is
 * escaped (numbers are already limited to digits, `+`, `*`, `#`; `+`/`*` are regex-escaped).
 */
export function inboundDestinationXml(v: {
  number: string;
  dialplanUuid: string;
  domainUuid: string;
  domainName: string;
  transferData: string;
}): string {
  const number = regexLiteral(v.number);
  return [
    `<extension name="${xmlAttribute(v.number)}" continue="false" uuid="${xmlAttribute(v.dialplanUuid)}">`,
    `\t<condition field="destination_number" expression="^\\+?1?(${xmlAttribute(number)})$">`,
    `\t\t<action application="export" data="call_direction=inbound" inline="true" />`,
    `\t\t<action application="set" data="domain_uuid=${xmlAttribute(v.domainUuid)}" inline="true" />`,
    `\t\t<action application="set" data="domain_name=${xmlAttribute(v.domainName)}" inline="true" />`,
    `\t\t<action application="set" data="hangup_after_bridge=true" inline="true"/>`,
    `\t\t<action application="set" data="continue_on_fail=true" inline="true"/>`,
    `\t\t<action application="transfer" data="${xmlAttribute(v.transferData)}"/>`,
    `\t</condition>`,
    `</extension>`,
  ].join("\n");
}

/** The ring-group XML the original's ringgroup-create writes (§6.9): `continue=""`, no trailing newline. */
export function ringGroupXml(v: { name: string; extension: string; dialplanUuid: string; ringGroupUuid: string }): string {
  return [
    `<extension name="${xmlAttribute(v.name)}" continue="" uuid="${xmlAttribute(v.dialplanUuid)}">`,
    `\t<condition field="destination_number" expression="^${xmlAttribute(regexLiteral(v.extension))}$">`,
    `\t\t<action application="ring_ready" data="" />`,
    `\t\t<action application="set" data="ring_group_uuid=${xmlAttribute(v.ringGroupUuid)}" />`,
    `\t\t<action application="lua" data="app.lua ring_groups" />`,
    `\t</condition>`,
    `</extension>`,
  ].join("\n");
}
