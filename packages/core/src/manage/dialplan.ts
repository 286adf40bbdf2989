import { regexLiteral, xmlSanitize } from "./xml.ts";

/** FusionPBX app uuids stamped on generated dialplans. */
export const INBOUND_ROUTES_APP_UUID = "c03b422e-13a8-bd1b-e42b-b6b9b4d27ce4";
export const RING_GROUPS_APP_UUID = "1d61fb65-1eec-bc73-a6ee-a6203b4fe6f2";

export interface DestinationAction {
  app: string;
  data: string;
}

/**
 * `destinations->to_regex()` in its stock form (fusionpbx-behaviour.md (a), form 4): `^(5551234)$`,
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
    `<extension name="${xmlSanitize(d.name)}" continue="false" uuid="${xmlSanitize(d.dialplanUuid)}">`,
    `\t<condition field="${xmlSanitize(d.field)}" expression="${xmlSanitize(d.regex)}">`,
    `\t\t<action application="export" data="call_direction=inbound" inline="true"/>`,
    `\t\t<action application="set" data="domain_uuid=${xmlSanitize(d.domainUuid)}" inline="true"/>`,
    `\t\t<action application="set" data="domain_name=${xmlSanitize(d.domainName)}" inline="true"/>`,
  ];
  if (hasBridge) {
    lines.push(
      `\t\t<action application="set" data="presence_id=$1@${xmlSanitize(d.domainName)}" inline="true"/>`,
      `\t\t<action application="set" data="hangup_after_bridge=true" inline="true"/>`,
      `\t\t<action application="set" data="continue_on_fail=true" inline="true"/>`,
    );
  }
  for (const a of d.actions) {
    lines.push(
      `\t\t<action application="${xmlSanitize(a.app)}" data="${xmlSanitize(a.data, { keepVariables: KEEP_IN_ACTION_DATA })}"/>`,
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
export function destinationDialplanDetails(d: { field: string; regex: string; domainName: string; actions: readonly DestinationAction[] }) {
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

/** The ring group's `dialplan_xml` as FusionPBX's ring group editor writes it (fusionpbx-behaviour.md (c)). */
export function ringGroupDialplanXml(g: { name: string; extension: string; dialplanUuid: string; ringGroupUuid: string; ringReady: boolean }) {
  const lines = [
    `<extension name="${xmlSanitize(g.name)}" continue="" uuid="${xmlSanitize(g.dialplanUuid)}">`,
    `\t<condition field="destination_number" expression="^${xmlSanitize(regexLiteral(g.extension))}$">`,
  ];
  if (g.ringReady) lines.push(`\t\t<action application="ring_ready" data=""/>`);
  lines.push(
    `\t\t<action application="set" data="ring_group_uuid=${xmlSanitize(g.ringGroupUuid)}"/>`,
    `\t\t<action application="set" data="record_stereo=true"/>`,
    `\t\t<action application="lua" data="app.lua ring_groups"/>`,
    "\t</condition>",
    "</extension>",
  );
  return `${lines.join("\n")}\n`;
}
