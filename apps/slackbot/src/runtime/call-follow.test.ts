import { describe, expect, test } from "bun:test";
import type { SwitchboardEvent } from "@switchboard/core";
import { laterPhase, phaseOfEvent } from "./call-follow.ts";

const event = (type: string, data: Record<string, unknown> = {}) => ({ type, data }) as unknown as SwitchboardEvent;

describe("a call's phase from its events", () => {
  test("started and ringing ring; answered answers; ended and missed end with the cause", () => {
    expect(phaseOfEvent(event("call.started"))).toEqual({ phase: "ringing" });
    expect(phaseOfEvent(event("call.ringing"))).toEqual({ phase: "ringing" });
    expect(phaseOfEvent(event("call.answered"))).toEqual({ phase: "answered" });
    expect(phaseOfEvent(event("call.ended", { cause: "USER_BUSY", answered_at: null }))).toEqual({
      phase: "ended",
      cause: "USER_BUSY",
      answered: false,
    });
    expect(
      phaseOfEvent(event("call.ended", { cause: "NORMAL_CLEARING", answered_at: "2026-12-03T09:30:00Z" })),
    ).toEqual({ phase: "ended", cause: "NORMAL_CLEARING", answered: true });
    expect(phaseOfEvent(event("call.missed", { cause: "NO_ANSWER" }))).toEqual({
      phase: "ended",
      cause: "NO_ANSWER",
      answered: false,
    });
    expect(phaseOfEvent(event("extension.registered"))).toBeNull();
  });

  test("a call never goes back: a late ringing leg or a stale poll leaves answered and ended as they are", () => {
    const ended = { phase: "ended", cause: "NORMAL_CLEARING", answered: true } as const;
    expect(laterPhase({ phase: "answered" }, { phase: "ringing" })).toEqual({ phase: "answered" });
    expect(laterPhase(ended, { phase: "answered" })).toEqual(ended);
    expect(laterPhase(ended, { phase: "ended", cause: "LOSE_RACE", answered: false })).toEqual(ended);
    expect(laterPhase({ phase: "ringing" }, { phase: "unknown" })).toEqual({ phase: "unknown" });
  });

  test("an answered call that ends counts as answered even when its end says otherwise", () => {
    expect(laterPhase({ phase: "answered" }, { phase: "ended", cause: "NORMAL_CLEARING", answered: false })).toEqual({
      phase: "ended",
      cause: "NORMAL_CLEARING",
      answered: true,
    });
  });
});
