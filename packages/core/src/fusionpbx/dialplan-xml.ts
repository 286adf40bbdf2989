import { regexLiteral } from "./numbers.ts";
import { xmlAttribute, xmlAttributeStrict } from "./xml.ts";

/**
 * Dialplan XML in two deliberate forms: what the original's create actions wrote (byte for byte, values
 * through `xmlAttribute`), and what FusionPBX's editors write when Switchboard regenerates a dialplan on
 * update (values through `xmlAttributeStrict`).
 */

/** `^(<number>)$`: the destination's `destination_number_regex` and its condition detail. */
export function exactNumberRegex(number: string): string {
  return `^(${regexLiteral(number)})$`;
}

/**
 * The inbound-route XML the original's destination-create writes (docs/original-api.md §5.2): lines joined
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

/** The ring-group XML the original's ringgroup-create writes (docs/original-api.md §5.9): `continue=""`, no trailing newline. */
export function ringGroupXml(v: {
  name: string;
  extension: string;
  dialplanUuid: string;
  ringGroupUuid: string;
}): string {
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

/** One action of a destination (an entry of `destination_actions`). */
export interface DestinationAction {
  app: string;
  data: string;
}

/**
 * `destinations->to_regex()` in its stock form (docs/fusionpbx-writes.md §4.2): `^(5551234)$`,
 * `^\+(15551234)$`, with a prefix `^\+?1?(5551234)$` / `^\+?(?:44)?(2071234567)$`. `+`/`*` inside the
 * number are escaped (FusionPBX leaves them raw, which breaks the regex for feature codes).
 */
export function destinationNumberRegex(number: string, prefix: string | null): string {
  if (number.startsWith("+")) return `^\\+(${regexLiteral(number.slice(1))})$`;
  const p = (prefix ?? "").replaceAll("+", "");
  const prefixPart = p === "" ? "" : p.length === 1 ? `\\+?${p}?` : `\\+?(?:${p})?`;
  return `^${prefixPart}(${regexLiteral(number)})$`;
}

/** Keeps the two variables FusionPBX keeps in action data. */
const KEEP_IN_ACTION_DATA = ["regex", "sofia_contact"] as const;

/** The inbound route's `dialplan_xml` as FusionPBX's destination editor writes it (tabs, trailing newline). */
export function destinationDialplanXml(d: {
  name: string;
  dialplanUuid: string;
  field: string;
  regex: string;
  domainUuid: string;
  domainName: string;
  actions: readonly DestinationAction[];
}): string {
  const hasBridge = d.actions.some((a) => a.app === "bridge");
  const lines = [
    `<extension name="${xmlAttributeStrict(d.name)}" continue="false" uuid="${xmlAttributeStrict(d.dialplanUuid)}">`,
    `\t<condition field="${xmlAttributeStrict(d.field)}" expression="${xmlAttributeStrict(d.regex)}">`,
    `\t\t<action application="export" data="call_direction=inbound" inline="true"/>`,
    `\t\t<action application="set" data="domain_uuid=${xmlAttributeStrict(d.domainUuid)}" inline="true"/>`,
    `\t\t<action application="set" data="domain_name=${xmlAttributeStrict(d.domainName)}" inline="true"/>`,
  ];
  if (hasBridge) {
    lines.push(
      `\t\t<action application="set" data="presence_id=$1@${xmlAttributeStrict(d.domainName)}" inline="true"/>`,
      `\t\t<action application="set" data="hangup_after_bridge=true" inline="true"/>`,
      `\t\t<action application="set" data="continue_on_fail=true" inline="true"/>`,
    );
  }
  for (const a of d.actions) {
    lines.push(
      `\t\t<action application="${xmlAttributeStrict(a.app)}" data="${xmlAttributeStrict(a.data, { keepVariables: KEEP_IN_ACTION_DATA })}"/>`,
    );
  }
  lines.push("\t</condition>", "</extension>");
  return `${lines.join("\n")}\n`;
}

export interface DialplanDetail {
  dialplan_detail_tag: string;
  dialplan_detail_type: string;
  dialplan_detail_data: string;
  dialplan_detail_inline: string | null;
  dialplan_detail_group: number;
  dialplan_detail_order: number;
}

/**
 * The `v_dialplan_details` rows the destination editor writes for the XML above: the condition at order 20,
 * the bridge helpers (30, 30, 40) when an action bridges, then one row per action from 40 (50 with bridge)
 * in steps of 10. The export/set domain lines of the XML have no detail rows, as in FusionPBX.
 */
export function destinationDialplanDetails(d: {
  field: string;
  regex: string;
  domainName: string;
  actions: readonly DestinationAction[];
}) {
  const rows: DialplanDetail[] = [];
  const row = (tag: string, type: string, data: string, inline: string | null, order: number) =>
    rows.push({
      dialplan_detail_tag: tag,
      dialplan_detail_type: type,
      dialplan_detail_data: data,
      dialplan_detail_inline: inline,
      dialplan_detail_group: 0,
      dialplan_detail_order: order,
    });
  let order = 20;
  row("condition", d.field, d.regex, null, order);
  order += 10;
  if (d.actions.some((a) => a.app === "bridge")) {
    row("action", "set", `presence_id=$1@${d.domainName}`, "true", order);
    row("action", "set", "hangup_after_bridge=true", "true", order);
    order += 10;
    row("action", "set", "continue_on_fail=true", "true", order);
  }
  order += 10;
  for (const a of d.actions) {
    row("action", a.app, a.data, a.app === "set" || a.app === "export" ? "true" : null, order);
    order += 10;
  }
  return rows;
}

/** The ring group's `dialplan_xml` as FusionPBX's ring group editor writes it (docs/fusionpbx-writes.md §6). */
export function ringGroupDialplanXml(g: {
  name: string;
  extension: string;
  dialplanUuid: string;
  ringGroupUuid: string;
  ringReady: boolean;
}) {
  const lines = [
    `<extension name="${xmlAttributeStrict(g.name)}" continue="" uuid="${xmlAttributeStrict(g.dialplanUuid)}">`,
    `\t<condition field="destination_number" expression="^${xmlAttributeStrict(regexLiteral(g.extension))}$">`,
  ];
  if (g.ringReady) lines.push(`\t\t<action application="ring_ready" data=""/>`);
  lines.push(
    `\t\t<action application="set" data="ring_group_uuid=${xmlAttributeStrict(g.ringGroupUuid)}"/>`,
    `\t\t<action application="set" data="record_stereo=true"/>`,
    `\t\t<action application="lua" data="app.lua ring_groups"/>`,
    "\t</condition>",
    "</extension>",
  );
  return `${lines.join("\n")}\n`;
}
