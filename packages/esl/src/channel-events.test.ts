import { afterAll, beforeAll, expect, test } from "bun:test";
import { readBackgroundJob, readChannelEvent } from "./channel-events.ts";
import { connectSwitch, type EslSwitch } from "./esl-switch.ts";
import type { SwitchEvent } from "./switch.ts";
import { type FakeSwitch, startFakeSwitch } from "./testing/index.ts";

let fake: FakeSwitch;
let sw: EslSwitch;
beforeAll(async () => {
  fake = await startFakeSwitch();
  sw = connectSwitch({ host: fake.host, port: fake.port, password: fake.password, eventFormat: "plain" });
  await sw.ready();
});
afterAll(async () => {
  await sw.close();
  await fake.stop();
});

test("an answered and hung-up call reads as typed channel events", async () => {
  const events: SwitchEvent[] = [];
  sw.onEvent(["CHANNEL_CREATE", "CHANNEL_ANSWER", "CHANNEL_HANGUP_COMPLETE", "BACKGROUND_JOB"], (e) => events.push(e));
  const uuid = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
  fake.setOriginateOutcome({ kind: "answer", afterMs: 5, hangupAfterMs: 5, hangupCause: "NORMAL_CLEARING" });
  const job = await sw.bgapi(`originate {origination_uuid=${uuid},domain_name=example.com}user/1001@example.com &park`);
  await job.result;
  const deadline = Date.now() + 3000;
  while (events.filter((e) => e.name === "CHANNEL_HANGUP_COMPLETE").length === 0 && Date.now() < deadline)
    await Bun.sleep(5);

  const channel = events.map(readChannelEvent).filter((e) => e !== null);
  expect(channel.map((e) => [e.name, e.uuid, e.answerState])).toEqual([
    ["CHANNEL_CREATE", uuid, "ringing"],
    ["CHANNEL_ANSWER", uuid, "answered"],
    ["CHANNEL_HANGUP_COMPLETE", uuid, "hangup"],
  ]);
  expect(channel[2]!.hangupCause).toBe("NORMAL_CLEARING");
  expect(channel[1]!.variables["domain_name"]).toBe("example.com");
  expect(channel[1]!.channelName).toBe("sofia/internal/1001@example.com");
  expect(channel[1]!.at).toBeInstanceOf(Date);

  const background = events.map(readBackgroundJob).filter((e) => e !== null);
  expect(background).toEqual([
    {
      jobUuid: job.jobUuid,
      command: "originate",
      argument: `{origination_uuid=${uuid},domain_name=example.com}user/1001@example.com &park`,
      output: `+OK ${uuid}\n`,
    },
  ]);
  expect(readChannelEvent(events.find((e) => e.name === "BACKGROUND_JOB")!)).toBeNull();
});
