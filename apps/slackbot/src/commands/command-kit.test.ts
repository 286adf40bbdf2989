import { describe, expect, test } from "bun:test";
import { ActionError, forbidden } from "@switchboard/core";
import { plainReply } from "../blocks/reply.ts";
import { failureReply, parseInvocation, type SlashCommandSpec, type Subcommand } from "./command-kit.ts";

const sub = (name: string, minArgs: number, maxArgs: number, check?: Subcommand["check"]): Subcommand => ({
  name,
  usage: `/t ${name} …`,
  summary: `does ${name}`,
  minArgs,
  maxArgs,
  check,
  pending: () => "…",
  run: async () => plainReply("done"),
});

const spec: SlashCommandSpec = {
  command: "/t",
  summary: "test",
  subcommands: [sub("make", 1, 2, (a) => (a[0] === "bad" ? "bad value" : null)), sub("list", 0, 0)],
};
const withFallback: SlashCommandSpec = { command: "/c", summary: "call", subcommands: [], fallback: sub("", 1, 2) };

describe("parseInvocation", () => {
  test("routes to the subcommand with the rest as arguments, quotes honoured", () => {
    const parsed = parseInvocation(spec, 'MAKE 1 "two words"');
    expect(parsed.kind === "run" && parsed.sub.name).toBe("make");
    expect(parsed.kind === "run" && parsed.args).toEqual(["1", "two words"]);
  });
  test("empty text and help give the help, listing every usage", () => {
    for (const text of ["", "help", "  HELP "]) {
      const parsed = parseInvocation(spec, text);
      expect(parsed.kind).toBe("help");
      expect(parsed.kind !== "run" && parsed.reply.text).toContain("/t make …");
      expect(parsed.kind !== "run" && parsed.reply.text).toContain("/t list …");
    }
  });
  test("`<sub> help` gives that subcommand's usage", () => {
    const parsed = parseInvocation(spec, "make help");
    expect(parsed.kind).toBe("help");
    expect(parsed.kind !== "run" && parsed.reply.text).toBe("/t make …\ndoes make");
  });
  test("arity and checks are usage errors carrying the usage", () => {
    for (const [text, message] of [
      ["make", "Missing arguments."],
      ["make 1 2 3", "Too many arguments."],
      ["list x", "Too many arguments."],
      ["make bad", "bad value"],
      ["nope", "Unknown /t command 'nope'."],
      ['make "open', "missing its closing quote"],
    ]) {
      const parsed = parseInvocation(spec, text!);
      expect(parsed.kind).toBe("usage");
      expect(parsed.kind !== "run" && parsed.reply.text).toContain(message!);
      expect(parsed.kind !== "run" && parsed.reply.text).toContain("Usage: /t");
    }
  });
  test("a fallback takes every word as arguments", () => {
    const parsed = parseInvocation(withFallback, "100 200");
    expect(parsed.kind === "run" && parsed.args).toEqual(["100", "200"]);
    expect(parseInvocation(withFallback, "").kind).toBe("help");
    expect(parseInvocation(withFallback, "1 2 3").kind).toBe("usage");
  });
});

describe("failureReply", () => {
  test("turns a missing scope into a sentence naming it", () => {
    expect(failureReply(forbidden("this key lacks the 'write' scope"), undefined, "r1").text).toBe(
      "You need the 'write' permission for this. A Switchboard admin can grant it with /pbx admin scopes.",
    );
  });
  test("bad input says what a valid value looks like, never the parameter's internal name, and adds the usage", () => {
    const cause = {
      issues: [
        {
          message: "a number may hold only digits, +, * and # (1 to 32 characters)",
          path: ["destinations", 1, "number"],
        },
      ],
    };
    const error = new ActionError("BAD_REQUEST", "invalid parameter: destinations.1.number", {
      field: "destinations.1.number",
      cause,
    });
    const text = failureReply(error, "/ring create …", "r1").text;
    expect(text).toBe(
      "That value is not valid: a number may hold only digits, +, * and # (1 to 32 characters).\nUsage: /ring create …",
    );
    const bare = failureReply(
      new ActionError("BAD_REQUEST", "invalid parameter: connect_to", { field: "connect_to" }),
      "/call <to>",
      "r1",
    ).text;
    expect(bare).not.toContain("connect_to");
  });
  test("a database outage before any action is named as such", () => {
    const down = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    expect(failureReply(down, undefined, "r1").text).toBe("Database unavailable.");
  });
  test("anything unexpected shows only the request id, never the internal message", () => {
    const reply = failureReply(new Error("relation v_secret does not exist"), undefined, "slack-123");
    expect(reply.text).toBe("Something went wrong (request slack-123).");
    expect(
      failureReply(new ActionError("INTERNAL_SERVER_ERROR", "stack-ish detail"), undefined, "slack-9").text,
    ).not.toContain("detail");
  });
});
