import { describe, expect, test } from "bun:test";
import { callCard, outcomeOf } from "./call.ts";

describe("call outcomes from call-status", () => {
  test("queued and ringing are still ringing; answered is answered", () => {
    expect(outcomeOf({ status: "queued" })).toEqual({ state: "ringing" });
    expect(outcomeOf({ status: "ringing" })).toEqual({ state: "ringing" });
    expect(outcomeOf({ status: "answered" })).toEqual({ state: "answered" });
  });
  test("a call whose placing the switch never confirmed reads as outcome unknown, on the card too", () => {
    expect(outcomeOf({ status: "unknown" })).toEqual({ state: "unknown" });
    expect(callCard("101", "5551234", { state: "unknown" }, null).text).toBe("Outcome unknown: 101 → 5551234");
  });
  test("an ended call that was answered reads as answered", () => {
    expect(
      outcomeOf({ status: "ended", hangup_cause: "NORMAL_CLEARING", answered_at: "2026-11-29 00:00:00+00" }),
    ).toEqual({ state: "answered" });
  });
  test("causes map to busy, no answer, or failed with the cause", () => {
    expect(outcomeOf({ status: "ended", hangup_cause: "USER_BUSY" })).toEqual({ state: "busy", cause: "USER_BUSY" });
    expect(outcomeOf({ status: "ended", hangup_cause: "NO_ANSWER" })).toEqual({
      state: "no answer",
      cause: "NO_ANSWER",
    });
    expect(outcomeOf({ status: "ended", hangup_cause: "NO_USER_RESPONSE" })).toEqual({
      state: "no answer",
      cause: "NO_USER_RESPONSE",
    });
    expect(outcomeOf({ status: "ended", hangup_cause: "UNALLOCATED_NUMBER" })).toEqual({
      state: "failed",
      cause: "UNALLOCATED_NUMBER",
    });
    expect(outcomeOf({ status: "ended", hangup_cause: null })).toEqual({ state: "failed", cause: "UNKNOWN" });
  });
  test("the card's fallback text states the outcome and cause", () => {
    expect(callCard("100", "5551234", { state: "busy", cause: "USER_BUSY" }, "u1").text).toBe(
      "Busy: 100 → 5551234 (USER_BUSY)",
    );
    expect(JSON.stringify(callCard("100", "5551234", { state: "ringing" }, "u1").blocks)).toContain("Call u1");
  });
});
