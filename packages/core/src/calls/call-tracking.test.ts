import { describe, expect, test } from "bun:test";
import { callUpdateFromEvent } from "./call-tracking.ts";

const uuid = "0b0c4d2e-9a1f-4c3b-8d7e-6f5a4b3c2d1e";
const leg = { "Unique-ID": uuid, "Channel-Name": "loopback/1002-a" };

describe("callUpdateFromEvent", () => {
  test("channel events of a loopback A-leg move its call", () => {
    expect(callUpdateFromEvent({ name: "CHANNEL_CREATE", headers: leg })).toEqual({
      callUuid: uuid,
      status: "ringing",
      cause: null,
    });
    expect(callUpdateFromEvent({ name: "CHANNEL_ANSWER", headers: leg })).toEqual({
      callUuid: uuid,
      status: "answered",
      cause: null,
    });
    expect(
      callUpdateFromEvent({ name: "CHANNEL_CALLSTATE", headers: { ...leg, "Channel-Call-State": "ACTIVE" } })?.status,
    ).toBe("answered");
    expect(
      callUpdateFromEvent({ name: "CHANNEL_CALLSTATE", headers: { ...leg, "Channel-Call-State": "RINGING" } })?.status,
    ).toBe("ringing");
    expect(
      callUpdateFromEvent({ name: "CHANNEL_HANGUP_COMPLETE", headers: { ...leg, "Hangup-Cause": "USER_BUSY" } }),
    ).toEqual({
      callUuid: uuid,
      status: "ended",
      cause: "USER_BUSY",
    });
  });

  test("other channels, other events and malformed ids are ignored", () => {
    expect(
      callUpdateFromEvent({
        name: "CHANNEL_ANSWER",
        headers: { ...leg, "Channel-Name": "sofia/internal/1001@a.test" },
      }),
    ).toBeNull();
    expect(
      callUpdateFromEvent({ name: "CHANNEL_ANSWER", headers: { ...leg, "Channel-Name": "loopback/1002-b" } }),
    ).toBeNull();
    expect(callUpdateFromEvent({ name: "CHANNEL_ANSWER", headers: { "Unique-ID": "x'; drop table" } })).toBeNull();
    expect(callUpdateFromEvent({ name: "HEARTBEAT", headers: leg })).toBeNull();
    expect(
      callUpdateFromEvent({ name: "CHANNEL_CALLSTATE", headers: { ...leg, "Channel-Call-State": "NOPE" } }),
    ).toBeNull();
  });

  test("BACKGROUND_JOB of an originate with a pre-set uuid, in json or url-encoded form", () => {
    const arg = `{origination_uuid=${uuid},ignore_early_media=true}loopback/1002/a.test &park`;
    expect(
      callUpdateFromEvent({
        name: "BACKGROUND_JOB",
        headers: { "Job-Command": "originate", "Job-Command-Arg": arg },
        body: "-ERR NO_ANSWER\n",
      }),
    ).toEqual({
      callUuid: uuid,
      status: "ended",
      cause: "NO_ANSWER",
    });
    const encoded = `%7Borigination_uuid%3D${uuid}%2Cx%3Dy%7Dloopback/1002/a.test`;
    expect(
      callUpdateFromEvent({
        name: "BACKGROUND_JOB",
        headers: { "Job-Command": "originate", "Job-Command-Arg": encoded },
        body: `+OK ${uuid}\n`,
      }),
    ).toEqual({ callUuid: uuid, status: "answered", cause: null });
    expect(
      callUpdateFromEvent({ name: "BACKGROUND_JOB", headers: { "Job-Command": "status" }, body: "UP" }),
    ).toBeNull();
    expect(
      callUpdateFromEvent({
        name: "BACKGROUND_JOB",
        headers: { "Job-Command": "originate", "Job-Command-Arg": "user/1001 &park" },
        body: "+OK x",
      }),
    ).toBeNull();
  });
});
