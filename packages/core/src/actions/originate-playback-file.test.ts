import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { DEFAULT_PLAYBACK_FILE } from "../calls/dial-values.ts";
import { type CallsFixture, eventually, openCallsFixture } from "../calls/test-support.ts";
import type { ActionContext } from "../context.ts";
import type { ActionError } from "../errors.ts";
import { runAction } from "../execute.ts";
import { runLegacyAction } from "../legacy/run-legacy.ts";
import { callStatus } from "./call-status.ts";
import { originatePlaybackFile } from "./originate-playback-file.ts";

/** FreeSWITCH variable/API expansion, as an attacker would send it. */
const EXPANSION = "$" + "{system(id)}";

const dump = "fusionpbx-5.1.0";
const VARS = "ignore_early_media=true,originate_timeout=30,effective_caller_id_number=2065550100";

describe("originate-playback-file (calls.playback)", () => {
  let fx: CallsFixture;
  let legacy: ActionContext;
  let typed: ActionContext;
  const a = { uuid: "", name: "a.example.com" };

  beforeAll(async () => {
    fx = await openCallsFixture(dump);
    a.uuid = await fx.addDomain(a.name);
    legacy = await fx.ctx({ face: "legacy" });
    typed = await fx.ctx({ face: "trpc", keyId: crypto.randomUUID() });
  }, 60_000);
  afterAll(async () => fx?.close(), 30_000);
  beforeEach(() => {
    fx.fake.clearReceived();
    fx.fake.setOriginateOutcome({ kind: "answer" });
  });
  const originates = () => fx.fake.apiCommands().filter((c) => c.startsWith("originate"));
  /** The legacy face sends the original's variables after the first leg's pre-set uuid (its call id). */
  const legacyVars = () => `origination_uuid=${fx.fake.originates.at(-1)!.uuid},${VARS}`;

  test("legacy: rings `to` through loopback in the domain's context and plays the original's default file", async () => {
    const reply = await runLegacyAction(originatePlaybackFile, legacy, {
      action: "originate-playback-file",
      domain_uuid: a.uuid,
      cid: "2065550100",
      to: "1001",
    });
    expect(originates()).toEqual([
      `originate {${legacyVars()}}loopback/1001/a.example.com '&playback(${DEFAULT_PLAYBACK_FILE})'`,
    ]);
    expect(reply).toEqual({ status: 200, body: { success: true, call_uuid: fx.fake.originates.at(-1)!.uuid } });
  });

  test("legacy: a file under the sounds directory or an http(s) URL is played as given", async () => {
    const file = "https://media.example.com/announce.wav?v=2";
    // No resolver reaches example.com here: the operator's allow-list names the host.
    process.env.PLAYBACK_URL_ALLOW = "media.example.com";
    try {
      await runLegacyAction(originatePlaybackFile, legacy, {
        domain_uuid: a.uuid,
        cid: "2065550100",
        to: "1001",
        file,
      });
    } finally {
      delete process.env.PLAYBACK_URL_ALLOW;
    }
    expect(originates()).toEqual([`originate {${legacyVars()}}loopback/1001/a.example.com '&playback(${file})'`]);
  });

  test("a URL on loopback, the event socket, a private or link-local address is refused on both faces, nothing sent", async () => {
    for (const file of [
      "http://127.0.0.1:8021/api",
      "http://localhost/a.wav",
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.5/a.wav",
    ]) {
      expect(
        await runLegacyAction(originatePlaybackFile, legacy, {
          domain_uuid: a.uuid,
          cid: "2065550100",
          to: "1001",
          file,
        }),
      ).toEqual({
        status: 400,
        body: { error: "invalid parameter: file" },
      });
      const typedError = (await runAction(originatePlaybackFile, typed, {
        domain_uuid: a.uuid,
        caller_id_number: "2065550100",
        number: "1001",
        file,
      }).then(
        () => null,
        (e: unknown) => e,
      )) as ActionError;
      expect([typedError.code, typedError.field]).toEqual(["BAD_REQUEST", "file"]);
      expect(typedError.message).toContain("PLAYBACK_URL_ALLOW");
    }
    expect(originates()).toEqual([]);
    process.env.PLAYBACK_URL_ALLOW = "10.0.0.0/8";
    try {
      await runLegacyAction(originatePlaybackFile, legacy, {
        domain_uuid: a.uuid,
        cid: "2065550100",
        to: "1001",
        file: "http://10.0.0.5/a.wav",
      });
    } finally {
      delete process.env.PLAYBACK_URL_ALLOW;
    }
    expect(originates()).toEqual([
      `originate {${legacyVars()}}loopback/1001/a.example.com '&playback(http://10.0.0.5/a.wav)'`,
    ]);
  });

  test("legacy: required params and failures", async () => {
    expect(await runLegacyAction(originatePlaybackFile, legacy, { cid: "1" })).toEqual({
      status: 400,
      body: { error: { error: "missing required parameter(s)", missing_parameters: "to" } },
    });
    fx.fake.setOriginateOutcome({ kind: "fail", cause: "SUBSCRIBER_ABSENT" });
    expect(
      await runLegacyAction(originatePlaybackFile, legacy, { domain_uuid: a.uuid, cid: "2065550100", to: "1001" }),
    ).toEqual({
      status: 200,
      body: { success: false, call_uuid: null },
    });
  });

  test("files outside the sounds directory, traversal and command characters: 400 naming `file`, nothing sent", async () => {
    for (const file of [
      "/etc/passwd",
      "/usr/share/freeswitch/sounds/../../../../etc/passwd",
      "http://x/a'b.wav",
      "http://x/a).wav",
      `http://x/${EXPANSION}`,
      "/usr/share/freeswitch/sounds/a.wav\n\nbgapi system id",
      "local_stream://default",
    ]) {
      expect(
        await runLegacyAction(originatePlaybackFile, legacy, {
          domain_uuid: a.uuid,
          cid: "2065550100",
          to: "1001",
          file,
        }),
      ).toEqual({
        status: 400,
        body: { error: "invalid parameter: file" },
      });
    }
    expect(
      await runLegacyAction(originatePlaybackFile, legacy, { domain_uuid: a.uuid, cid: "2065550100", to: "1001;x" }),
    ).toEqual({
      status: 400,
      body: { error: "invalid parameter: to" },
    });
    expect(originates()).toEqual([]);
  });

  test("typed: async with a pre-set uuid, followed by call-status", async () => {
    const placed = (await runAction(originatePlaybackFile, typed, {
      domain_uuid: a.uuid,
      caller_id_number: "2065550100",
      number: "1001",
      file: "/usr/share/freeswitch/sounds/en/us/callie/ivr/8000/ivr-welcome.wav",
    })) as { call_uuid: string; status: string };
    expect(placed.status).toBe("queued");
    expect(originates()).toEqual([
      `originate {origination_uuid=${placed.call_uuid},${VARS}}loopback/1001/a.example.com '&playback(/usr/share/freeswitch/sounds/en/us/callie/ivr/8000/ivr-welcome.wav)'`,
    ]);
    await eventually(
      async () =>
        ((await runAction(callStatus, typed, { call_uuid: placed.call_uuid })) as { status: string }).status ===
          "answered" || undefined,
    );
  });
});
