import { describe, expect, test } from "bun:test";
import { DEFAULT_PLAYBACK_FILE, isAllowedPlaybackFile } from "./dial-values.ts";
import { bridgeOriginateCommand, parseOriginateReply, playbackOriginateCommand } from "./originate-command.ts";

/** FreeSWITCH variable/API expansion, as an attacker would send it. */
const EXPANSION = "$" + "{system(id)}";

describe("bridgeOriginateCommand", () => {
  test("without a pre-set uuid it is the original's string: destination_b first, rawurlencoded name", () => {
    const command = bridgeOriginateCommand({
      callerId: { number: "+15551234567", name: "John Smith (Sales)!" },
      ringFirst: "1002",
      connectTo: "*9664",
      context: "example.com",
    });
    const vars =
      "ignore_early_media=true,originate_timeout=30,effective_caller_id_number=+15551234567,effective_caller_id_name=John%20Smith%20%28Sales%29%21";
    expect(command).toBe(`originate {${vars}}loopback/1002/example.com '&bridge({${vars}}loopback/*9664/example.com)'`);
  });

  test("no caller id name, no name variable", () => {
    expect(
      bridgeOriginateCommand({ callerId: { number: "100" }, ringFirst: "101", connectTo: "102", context: "a.test" }),
    ).toBe(
      "originate {ignore_early_media=true,originate_timeout=30,effective_caller_id_number=100}loopback/101/a.test " +
        "'&bridge({ignore_early_media=true,originate_timeout=30,effective_caller_id_number=100}loopback/102/a.test)'",
    );
  });

  test("the pre-set uuid goes to the first leg only", () => {
    const uuid = "0b0c4d2e-9a1f-4c3b-8d7e-6f5a4b3c2d1e";
    const command = bridgeOriginateCommand({
      callerId: { number: "100" },
      ringFirst: "101",
      connectTo: "102",
      context: "a.test",
      originationUuid: uuid,
    });
    expect(command.startsWith(`originate {origination_uuid=${uuid},ignore_early_media=true,`)).toBe(true);
    expect(command.split("origination_uuid").length).toBe(2);
  });

  test("a hostile caller id name is encoded, so nothing of it can break out", () => {
    const command = bridgeOriginateCommand({
      callerId: { number: "100", name: `x}',api_on_answer=system id\n\nbgapi system id ${EXPANSION}` },
      ringFirst: "101",
      connectTo: "102",
      context: "a.test",
    });
    const name = /effective_caller_id_name=([^,}]*)/.exec(command)?.[1];
    expect(name).toMatch(/^[A-Za-z0-9%._~-]+$/);
    expect(command).not.toContain("\n");
    expect(command.match(/'/g)?.length).toBe(2);
  });

  test("refuses unsafe numbers and contexts even when called directly", () => {
    const base = { callerId: { number: "100" }, ringFirst: "101", connectTo: "102", context: "a.test" };
    expect(() => bridgeOriginateCommand({ ...base, ringFirst: "101,x=y" })).toThrow();
    expect(() => bridgeOriginateCommand({ ...base, connectTo: "102)\n\nbgapi system id" })).toThrow();
    expect(() => bridgeOriginateCommand({ ...base, callerId: { number: "1}x" } })).toThrow();
    expect(() => bridgeOriginateCommand({ ...base, context: "a.test x" })).toThrow();
    expect(() => bridgeOriginateCommand({ ...base, originationUuid: "not-a-uuid,x=y" })).toThrow();
  });
});

describe("playbackOriginateCommand", () => {
  test("rings the number through loopback and plays the file", () => {
    expect(
      playbackOriginateCommand({
        callerId: { number: "100" },
        number: "2065550100",
        context: "a.test",
        file: DEFAULT_PLAYBACK_FILE,
      }),
    ).toBe(
      "originate {ignore_early_media=true,originate_timeout=30,effective_caller_id_number=100}loopback/2065550100/a.test " +
        `'&playback(${DEFAULT_PLAYBACK_FILE})'`,
    );
  });

  test("files: the sounds directory or plain http(s) URLs only", () => {
    expect(isAllowedPlaybackFile("/usr/share/freeswitch/sounds/en/us/callie/ivr/8000/ivr-welcome.wav")).toBe(true);
    expect(isAllowedPlaybackFile("https://media.example.com/greeting.wav?v=2&x=1")).toBe(true);
    for (const bad of [
      "/usr/share/freeswitch/sounds/../../../../etc/passwd",
      "/usr/share/freeswitch/sounds/en/../../x.wav",
      "/usr/share/freeswitch/soundsx/a.wav",
      "/etc/passwd",
      "ivr/ivr-welcome.wav",
      "http://x/a'b.wav",
      "http://x/a b.wav",
      "http://x/a).wav",
      `http://x/${EXPANSION}.wav`,
      "http://x/a,b.wav",
      "http://x/a\nb.wav",
      "ftp://x/a.wav",
      "httpfoo",
      "http://",
    ]) {
      expect(isAllowedPlaybackFile(bad)).toBe(false);
    }
  });
});

describe("parseOriginateReply", () => {
  test("reads replies the way the original did", () => {
    expect(parseOriginateReply("+OK 2b1c4c7e-3f0a-4c55-9d56-7d1a3e9f0c11\n")).toEqual({
      ok: true,
      callUuid: "2b1c4c7e-3f0a-4c55-9d56-7d1a3e9f0c11",
    });
    expect(parseOriginateReply("-ERR USER_BUSY\n")).toEqual({ ok: false, cause: "USER_BUSY" });
    expect(parseOriginateReply("-ERR NO_ANSWER\n")).toEqual({ ok: false, cause: "NO_ANSWER" });
    expect(parseOriginateReply("-USAGE: <call url> …\n")).toEqual({ ok: false, cause: "<call url> …" });
    expect(parseOriginateReply("+OKAY x")).toEqual({ ok: false, cause: "+OKAY x" });
  });
});
