import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { callCard } from "../commands/call.ts";
import { deleteConfirmation } from "../commands/ext.ts";
import { LIMITS, messageProblems } from "./limits.ts";
import { clampMrkdwn, fitMessage, refusedFallback } from "./message.ts";
import {
  type Block,
  errorReply,
  escapeMrkdwn,
  fieldsReply,
  plainReply,
  type Reply,
  section,
  tableReply,
} from "./reply.ts";

/** Names people (and attackers) give things: markup, mentions, entities, emoji, and very long runs of them. */
const hostilePiece = fc.oneof(
  fc.constantFrom(
    "&",
    "<",
    ">",
    "&amp;",
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U0123ABCD>",
    "<@U0123ABCD|boss>",
    "<#C0123|general>",
    "<https://evil.example|click>",
    "R&D <EU> & Sales",
    "```",
    "*bold*",
    "👩‍👩‍👧‍👦",
    "🎉",
    "\n",
  ),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ maxLength: 10 }),
);
const hostile = fc.oneof(
  { weight: 4, arbitrary: fc.array(hostilePiece, { maxLength: 12 }).map((p) => p.join("")) },
  { weight: 1, arbitrary: fc.array(hostilePiece, { minLength: 200, maxLength: 1500 }).map((p) => p.join("")) },
);

/** Every text Slack parses for mentions and links: mrkdwn objects (plain_text never pings). */
function mrkdwnTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnTexts);
  if (!value || typeof value !== "object") return [];
  const object = value as Record<string, unknown>;
  const own = object.type === "mrkdwn" && typeof object.text === "string" ? [object.text] : [];
  return [...own, ...Object.values(object).flatMap(mrkdwnTexts)];
}

function assertSendable(reply: Reply) {
  const message = fitMessage(reply);
  expect(messageProblems(message)).toEqual([]);
  for (const text of [message.text, ...mrkdwnTexts(message.blocks)]) expect(text).not.toMatch(/<[!@#]|<https?:/);
}

describe("every reply fits Slack's limits after escaping", () => {
  test("the reproduction: 60 extensions named 'R&D <EU> & Sales' list within every section's 3,000", () => {
    const rows = Array.from({ length: 60 }, (_, i) => [String(100 + i), "R&D <EU> & Sales", "R&D <EU> & Sales", "yes"]);
    const reply = tableReply("Extensions", ["Ext", "Name", "Caller ID", "Enabled"], rows, "none");
    expect(messageProblems(reply)).toEqual([]);
    expect(messageProblems(fitMessage(reply))).toEqual([]);
  });

  test("tables, fields, errors, call cards and confirmations of hostile names", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(hostile, hostile, hostile), { maxLength: 120 }),
        hostile,
        fc.integer({ min: 1, max: 9 }),
        (rows, name, page) => {
          assertSendable(tableReply(name, ["Ext", "Name", "Caller ID"], rows, name));
          assertSendable(
            tableReply("Extensions", ["Ext", "Name"], rows, "none", { page, command: `/ext list ${name}` }),
          );
          assertSendable(
            fieldsReply(
              name,
              rows.map(([a, b]) => [a, b] as const),
              name,
            ),
          );
          assertSendable(errorReply(name, name));
          assertSendable(plainReply(name));
          assertSendable(callCard(name, name, { state: "failed", cause: name }, name));
          assertSendable(deleteConfirmation(String(100 + page), crypto.randomUUID(), name));
        },
      ),
      { numRuns: 100 },
    );
  }, 60_000);

  test("fitMessage brings any over-long section, field, header, button or block count under the limits", () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 80 }), (texts) => {
        const blocks: Block[] = texts.flatMap((t): Block[] => [
          section(escapeMrkdwn(t).repeat(3) || "x"),
          { type: "header", text: { type: "plain_text", text: t || "x" } },
          {
            type: "actions",
            elements: [{ type: "button", action_id: "a", text: { type: "plain_text", text: t || "x" } }],
          },
        ]);
        assertSendable({ text: texts.join("").repeat(40), blocks });
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  test("the checker refuses what Slack refuses (so the tests above can fail)", () => {
    expect(messageProblems({ text: "x", blocks: [section("a".repeat(LIMITS.sectionText + 1))] })).toHaveLength(1);
    expect(messageProblems({ text: "x", blocks: Array.from({ length: 51 }, () => section("a")) })).toHaveLength(1);
    expect(
      messageProblems({ text: "x", blocks: [{ type: "header", text: { type: "plain_text", text: "h".repeat(151) } }] }),
    ).toHaveLength(1);
    expect(messageProblems({ text: "x", blocks: [section("")] })).toHaveLength(1);
    expect(messageProblems({ text: "y".repeat(LIMITS.messageText + 1) })).toHaveLength(1);
  });

  test("a cut never splits an entity, and a cut code block is closed again", () => {
    const cut = clampMrkdwn("```" + "&amp;".repeat(1000) + "```", 3000);
    expect(cut.length).toBeLessThanOrEqual(3000);
    expect(cut).toMatch(/(&amp;)+…```$/);
  });

  test("<!channel> in a name never pings: the fallback text is escaped too", () => {
    const message = fitMessage(fieldsReply("Extension 100", [["Caller ID name", "<!here> <@U0BOSS>"]]));
    expect(message.text).toContain("&lt;!here&gt; &lt;@U0BOSS&gt;");
    expect(JSON.stringify(message)).not.toContain("<!here>");
  });

  test("the plain-text fallback says what happened and keeps the reply's text", () => {
    const fallback = refusedFallback({ text: "Extensions\n100 <Front>" }, "invalid_blocks");
    expect(fallback.blocks).toBeUndefined();
    expect(fallback.text).toContain("invalid_blocks");
    expect(fallback.text).toContain("100 &lt;Front&gt;");
  });
});
