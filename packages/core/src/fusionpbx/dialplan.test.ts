import { describe, expect, test } from "bun:test";
import { contextCacheKeys, destinationCacheKeys, directoryCacheKeys } from "./cache-keys.ts";
import {
  destinationDialplanDetails,
  destinationDialplanXml,
  destinationNumberRegex,
  ringGroupDialplanXml,
} from "./dialplan-xml.ts";
import { xmlAttributeStrict } from "./xml.ts";

describe("destinationNumberRegex (FusionPBX to_regex, stock form)", () => {
  test("the worked examples of docs/fusionpbx-writes.md §4.2", () => {
    expect(destinationNumberRegex("5551234", null)).toBe("^(5551234)$");
    expect(destinationNumberRegex("+15551234", null)).toBe("^\\+(15551234)$");
    expect(destinationNumberRegex("5551234", "1")).toBe("^\\+?1?(5551234)$");
    expect(destinationNumberRegex("2071234567", "44")).toBe("^\\+?(?:44)?(2071234567)$");
    expect(destinationNumberRegex("2071234567", "+44")).toBe("^\\+?(?:44)?(2071234567)$");
  });
  test("feature codes are regex-escaped", () => {
    expect(destinationNumberRegex("*9664", null)).toBe("^(\\*9664)$");
  });
});

describe("xmlAttributeStrict", () => {
  test("drops channel-variable expansions and escapes markup and quotes", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the FreeSWITCH expansion under test
    expect(xmlAttributeStrict("a${system(id)}b <x> & \"y\" 'z'")).toBe(
      "ab &lt;x&gt; &amp; &quot;y&quot; &apos;z&apos;",
    );
  });
  test("keeps the variables FusionPBX keeps in action data", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the FreeSWITCH expansion under test
    expect(xmlAttributeStrict("${sofia_contact(1001@a)} ${other}", { keepVariables: ["sofia_contact"] })).toBe(
      "${sofia_contact(1001@a)} ",
    );
  });
});

describe("destination dialplan", () => {
  const base = { field: "destination_number", regex: "^(5551234)$", domainName: "a.example.com" };
  test("without bridge: condition at 20, actions from 40", () => {
    const rows = destinationDialplanDetails({
      ...base,
      actions: [
        { app: "transfer", data: "100 XML a.example.com" },
        { app: "set", data: "x=1" },
      ],
    });
    expect(
      rows.map((r) => [
        r.dialplan_detail_tag,
        r.dialplan_detail_type,
        r.dialplan_detail_order,
        r.dialplan_detail_inline,
      ]),
    ).toEqual([
      ["condition", "destination_number", 20, null],
      ["action", "transfer", 40, null],
      ["action", "set", 50, "true"],
    ]);
  });
  test("with bridge: the helper rows at 30, 30, 40 and the actions from 50, as FusionPBX numbers them", () => {
    const rows = destinationDialplanDetails({ ...base, actions: [{ app: "bridge", data: "user/100@a.example.com" }] });
    expect(rows.map((r) => [r.dialplan_detail_type, r.dialplan_detail_data, r.dialplan_detail_order])).toEqual([
      ["destination_number", "^(5551234)$", 20],
      ["set", "presence_id=$1@a.example.com", 30],
      ["set", "hangup_after_bridge=true", 30],
      ["set", "continue_on_fail=true", 40],
      ["bridge", "user/100@a.example.com", 50],
    ]);
    const xml = destinationDialplanXml({
      ...base,
      name: "5551234",
      dialplanUuid: "u",
      domainUuid: "d",
      actions: [{ app: "bridge", data: "user/100@a.example.com" }],
    });
    expect(xml.split("\n").slice(5, 9)).toEqual([
      '\t\t<action application="set" data="presence_id=$1@a.example.com" inline="true"/>',
      '\t\t<action application="set" data="hangup_after_bridge=true" inline="true"/>',
      '\t\t<action application="set" data="continue_on_fail=true" inline="true"/>',
      '\t\t<action application="bridge" data="user/100@a.example.com"/>',
    ]);
  });
});

test("ring group XML without ring_ready when the setting is off", () => {
  const xml = ringGroupDialplanXml({
    name: "Sales",
    extension: "6001",
    dialplanUuid: "dp",
    ringGroupUuid: "rg",
    ringReady: false,
  });
  expect(xml).toBe(
    '<extension name="Sales" continue="" uuid="dp">\n\t<condition field="destination_number" expression="^6001$">\n' +
      '\t\t<action application="set" data="ring_group_uuid=rg"/>\n\t\t<action application="set" data="record_stereo=true"/>\n' +
      '\t\t<action application="lua" data="app.lua ring_groups"/>\n\t</condition>\n</extension>\n',
  );
});

describe("cache keys", () => {
  test("destinations by mode, with a numeric prefix; unusual numbers and contexts yield no unsafe key", () => {
    const d = { context: "public", number: "5551234", prefix: "1" };
    expect(destinationCacheKeys("single", d)).toEqual([
      "dialplan:public:5551234",
      "dialplan:public:15551234",
      "dialplan:public:+15551234",
    ]);
    expect(destinationCacheKeys("multiple", d)).toEqual(["dialplan:public"]);
    expect(destinationCacheKeys(null, { ...d, prefix: null })).toEqual(["dialplan:public", "dialplan:public:5551234"]);
    expect(destinationCacheKeys("single", { ...d, number: "*97" })).toEqual([]);
    expect(destinationCacheKeys("single", { ...d, context: "bad context" })).toEqual([]);
  });
  test("directory and context keys", () => {
    expect(directoryCacheKeys({ extension: "100", number_alias: "8100", user_context: "a.example.com" })).toEqual([
      "directory:100@a.example.com",
      "directory:8100@a.example.com",
    ]);
    expect(directoryCacheKeys({ extension: "100", number_alias: null, user_context: null })).toEqual([]);
    expect(contextCacheKeys("a.example.com")).toEqual(["dialplan:a.example.com"]);
    expect(contextCacheKeys("a b")).toEqual([]);
  });
});
