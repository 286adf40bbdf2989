import { describe, expect, test } from "bun:test";
import { mentionedUserId, tokenize, UnbalancedQuoteError, unescapeSlackText } from "./tokenize.ts";

describe("tokenize", () => {
  test("splits on any run of whitespace", () => {
    expect(tokenize("  create 105\t Front  ")).toEqual(["create", "105", "Front"]);
  });
  test("keeps a double-quoted argument together without its quotes", () => {
    expect(tokenize('create 105 "Front Desk" 5551234')).toEqual(["create", "105", "Front Desk", "5551234"]);
  });
  test("accepts single quotes and the curly quotes Slack clients type", () => {
    expect(tokenize("create 105 'Front Desk'")).toEqual(["create", "105", "Front Desk"]);
    expect(tokenize("create 105 \u201cFront Desk\u201d")).toEqual(["create", "105", "Front Desk"]);
    expect(tokenize("create 105 \u2018Bob's Desk\u2019")).toEqual(["create", "105", "Bob's Desk"]);
  });
  test("a quote inside the other kind of quotes is literal", () => {
    expect(tokenize(`"Bob's phone" 'say "hi"'`)).toEqual(["Bob's phone", 'say "hi"']);
  });
  test("an empty quoted argument is kept", () => {
    expect(tokenize('create 105 "" 5551234')).toEqual(["create", "105", "", "5551234"]);
  });
  test("quotes glued to text join one argument", () => {
    expect(tokenize('name="Front Desk"')).toEqual(["name=Front Desk"]);
  });
  test("an unclosed quote is an error, not a guess", () => {
    expect(() => tokenize('create 105 "Front Desk')).toThrow(UnbalancedQuoteError);
  });
  test("empty text gives no arguments", () => {
    expect(tokenize("   ")).toEqual([]);
  });
  test("undoes Slack's HTML escaping", () => {
    expect(unescapeSlackText("a &amp; b &lt;c&gt;")).toBe("a & b <c>");
    expect(tokenize('"A &amp; B"')).toEqual(["A & B"]);
    expect(tokenize("R&amp;D &lt;EU&gt;")).toEqual(["R&D", "<EU>"]);
  });
  test("keeps Slack's markup whole, spaces included", () => {
    expect(tokenize("<@U123|Carol Smith> <tel:5551234|555-1234>")).toEqual([
      "<@U123|Carol Smith>",
      "<tel:5551234|555-1234>",
    ]);
    expect(tokenize('"<@U123|Carol Smith>" x')).toEqual(["<@U123|Carol Smith>", "x"]);
  });
});

describe("mentionedUserId", () => {
  test("reads escaped mentions and bare ids", () => {
    expect(mentionedUserId("<@U024BE7LH|bob>")).toBe("U024BE7LH");
    expect(mentionedUserId("<@W123ABC>")).toBe("W123ABC");
    expect(mentionedUserId("U024BE7LH")).toBe("U024BE7LH");
  });
  test("rejects anything else", () => {
    expect(mentionedUserId("@bob")).toBeNull();
    expect(mentionedUserId("<#C123|general>")).toBeNull();
    expect(mentionedUserId("u024be7lh")).toBeNull();
  });
});
