import { expect, test } from "bun:test";
import { exactNumberRegex, inboundDestinationXml, ringGroupXml } from "./dialplan-xml.ts";
import { generatePassword, passwordAlphabet } from "./generate-password.ts";
import { isDialString, regexLiteral } from "./numbers.ts";
import { phpJsonPretty } from "./php-json.ts";
import { singular } from "./save.ts";
import { canonicalUuid } from "./uuid.ts";
import { saveValue } from "./values.ts";
import { xmlAttribute, xmlAttributeStrict, xmlSanitize } from "./xml.ts";

test("JSON_PRETTY_PRINT layout and escaping", () => {
  expect(phpJsonPretty({ a: [{ b: "x/y", c: null, d: 20 }], e: [], f: {}, g: "é" })).toBe(
    '{\n    "a": [\n        {\n            "b": "x\\/y",\n            "c": null,\n            "d": 20\n        }\n    ],\n    "e": [],\n    "f": {},\n    "g": "\\u00e9"\n}',
  );
});

test("generate_password alphabets and lengths", () => {
  expect(passwordAlphabet(1)).toBe("0123456789");
  expect(passwordAlphabet(4)).toBe("0123456789abcdefghijkmnopqrstuvwxyzABCDEFGHIJKLMNPQRSTUVWXYZ!^$%*?.");
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const sip = generatePassword(10, 4);
    expect(sip).toHaveLength(10);
    for (const c of sip) {
      expect(passwordAlphabet(4)).toContain(c);
      seen.add(c);
    }
    expect(generatePassword(8, 1)).toMatch(/^[0-9]{8}$/);
  }
  expect(seen.has("l") || seen.has("O")).toBe(false);
  // 2000 draws from 68 characters reach every class.
  expect([...seen].some((c) => "!^$%*?.".includes(c))).toBe(true);
  expect(() => generatePassword(5, 0)).toThrow();
});

test("xml::sanitize semantics, plus quotes inside attributes", () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeSWITCH variable syntax, literally
  expect(xmlSanitize('A & B <c> ${x} "q"')).toBe('A &amp; B &lt;c&gt;  "q"');
  expect(xmlAttribute('a" b="c')).toBe("a&quot; b=&quot;c");
  // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeSWITCH variable syntax, literally
  expect(xmlSanitize("${a${b}c}")).toBe("c}");
});

test("dial strings and regex literals", () => {
  for (const ok of ["100", "+12065550100", "*9664", "#21#"]) expect(isDialString(ok)).toBe(true);
  for (const bad of ["", "1 2", "1.5", "1|2", "a", "1\n2", "(1)", "1".repeat(65)])
    expect(isDialString(bad)).toBe(false);
  expect(regexLiteral("+1*2#")).toBe("\\+1\\*2#");
  expect(exactNumberRegex("+1555")).toBe("^(\\+1555)$");
});

test("dialplan templates are the original's, byte for byte", () => {
  const xml = inboundDestinationXml({
    number: "100",
    dialplanUuid: "D",
    domainUuid: "U",
    domainName: "n.example",
    transferData: "1 XML n.example",
  });
  expect(xml.split("\n")).toHaveLength(10);
  expect(xml.endsWith("</extension>")).toBe(true);
  expect(xml).toContain('\t<condition field="destination_number" expression="^\\+?1?(100)$">\n');
  expect(ringGroupXml({ name: "R", extension: "6", dialplanUuid: "D", ringGroupUuid: "G" })).toBe(
    '<extension name="R" continue="" uuid="D">\n\t<condition field="destination_number" expression="^6$">\n\t\t<action application="ring_ready" data="" />\n\t\t<action application="set" data="ring_group_uuid=G" />\n\t\t<action application="lua" data="app.lua ring_groups" />\n\t</condition>\n</extension>',
  );
});

test("PostgreSQL-lenient uuids", () => {
  const u = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
  for (const form of [u, u.toUpperCase(), `{${u}}`, u.replace(/-/g, ""), "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11"]) {
    expect(canonicalUuid(form)).toBe(u);
  }
  for (const bad of ["", "x", `${u}0`, `{${u}`, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g"])
    expect(canonicalUuid(bad)).toBeNull();
});

test("save() value rules and FusionPBX's singular()", () => {
  expect(saveValue("")).toBeNull();
  expect(saveValue(null)).toBeNull();
  expect(saveValue(" x ")).toBe("x");
  expect(saveValue(20)).toBe("20");
  expect(saveValue("0")).toBe("0");
  expect(singular("ring_group_destinations")).toBe("ring_group_destination");
  expect(singular("dialplan_details")).toBe("dialplan_detail");
  expect(singular("addresses")).toBe("address");
  expect(singular("databases")).toBe("database");
  expect(singular("countries")).toBe("country");
  expect(singular("boxes")).toBe("box");
});

test("channel variables are dropped until none is left, not in one pass that joins its neighbours into a new one", () => {
  const nested = "$${x}{system(id)}";
  for (const out of [
    xmlSanitize(nested),
    xmlAttribute(nested),
    xmlAttributeStrict(nested),
    xmlAttributeStrict(nested, { keepVariables: ["regex"] }),
  ]) {
    expect(out).not.toContain("${");
    expect(out).not.toContain("system(id)");
  }
  // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeSWITCH variable syntax, literally
  expect(xmlSanitize("a$${y}{${z}b}c")).toBe("ac");
  // A kept variable stays; one assembled around it does not.
  // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeSWITCH variable syntax, literally
  expect(xmlAttributeStrict("${regex(a)} $${x}{system(id)}", { keepVariables: ["regex"] })).toBe("${regex(a)} ");
});
