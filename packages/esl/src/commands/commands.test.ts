import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { UnsafeCommandValueError } from "../errors.ts";
import { connectSwitch, type EslSwitch } from "../esl-switch.ts";
import { type FakeSwitch, startFakeSwitch } from "../testing/index.ts";
import { bridgeApp, parkApp, playbackApp, transferApp } from "./applications.ts";
import { cacheDeleteEvent, luaClearCacheCommand, memcacheDeleteCommand } from "./cache.ts";
import { callcenterCommands } from "./callcenter.ts";
import { gatewayEndpoint, loopbackEndpoint, sofiaEndpoint, userEndpoint } from "./endpoints.ts";
import { rawurlencode } from "./escape.ts";
import { originateCommand } from "./originate.ts";
import { showJsonCommand } from "./show.ts";
import { uuidKillCommand } from "./simple.ts";

const HOSTILE = [
  "1001 &system(id)",
  "1001,api_on_answer=system id",
  "1001}user/evil",
  "{evil=1}1001",
  "1001'x",
  '1001"x',
  "1001\n\nbgapi system id",
  "1001\r\nexit",
  "1001|sofia/gateway/x/1",
  "1001[x=1]",
  "1001(x)",
  "$" + "{sip_password}",
  "1001\u0000",
  "1001\u202e",
  "1001é",
  "١٠٠١",
  "１００１",
  "",
];

const rejects = (build: () => unknown) => expect(build).toThrow(UnsafeCommandValueError);

let fake: FakeSwitch;
let sw: EslSwitch;
beforeAll(async () => {
  fake = await startFakeSwitch();
  sw = connectSwitch({ host: fake.host, port: fake.port, password: fake.password });
  await sw.ready();
});
afterAll(async () => {
  await sw.close();
  await fake.stop();
});

describe("rawurlencode (PHP, RFC 3986)", () => {
  test("keeps only A-Z a-z 0-9 - _ . ~, uppercase hex, UTF-8", () => {
    expect(rawurlencode("John Smith")).toBe("John%20Smith");
    expect(rawurlencode("!*'()~-_.")).toBe("%21%2A%27%28%29~-_.");
    expect(rawurlencode("José,{x}\n")).toBe("Jos%C3%A9%2C%7Bx%7D%0A");
  });
});

describe("every builder rejects hostile values", () => {
  test.each(HOSTILE)("%p", (value) => {
    rejects(() => loopbackEndpoint(value, "example.com"));
    rejects(() => loopbackEndpoint("1001", value));
    rejects(() => userEndpoint(value, "example.com"));
    rejects(() => userEndpoint("1001", value));
    rejects(() => gatewayEndpoint(value, "15551234"));
    rejects(() => gatewayEndpoint("6a8f2c3e-1b2d-4e5f-8a9b-0c1d2e3f4a5b", value));
    rejects(() => sofiaEndpoint(value, "1001", "10.0.0.5"));
    rejects(() => transferApp(value, "example.com"));
    rejects(() => transferApp("1002", value));
    rejects(() => playbackApp(value));
    rejects(() => memcacheDeleteCommand(value));
    rejects(() => luaClearCacheCommand(value));
    rejects(() => cacheDeleteEvent(value));
    rejects(() => uuidKillCommand(value));
    rejects(() => showJsonCommand("channels", value));
    rejects(() => callcenterCommands.queueListMembers(value));
    rejects(() => callcenterCommands.agentList(value));
    rejects(() =>
      originateCommand({ endpoint: loopbackEndpoint("1001", "example.com"), action: parkApp(), callerIdNumber: value }),
    );
    rejects(() =>
      originateCommand({
        endpoint: loopbackEndpoint("1001", "example.com"),
        action: { extension: value, context: "example.com" },
      }),
    );
    rejects(() =>
      originateCommand({
        endpoint: loopbackEndpoint("1001", "example.com"),
        action: parkApp(),
        variables: { [value || "x y"]: "1" },
      }),
    );
  });

  test("caller id names and variable values: only text, never separators", () => {
    for (const value of [
      "a,b",
      "a}b",
      "a{b",
      "a'b",
      'a"b',
      "a\nb",
      "a=b",
      "a|b",
      "a[b",
      "a(b)",
      "a\\b",
      "a&b",
      "a^b",
      "a\u200bb",
      "$" + "{x}",
    ]) {
      rejects(() =>
        originateCommand({ endpoint: loopbackEndpoint("1001", "example.com"), action: parkApp(), callerIdName: value }),
      );
      rejects(() =>
        originateCommand({
          endpoint: loopbackEndpoint("1001", "example.com"),
          action: parkApp(),
          variables: { origination_caller_id_name: value },
        }),
      );
    }
  });

  test("playback refuses path walking and variable expansion", () => {
    rejects(() => playbackApp("../../etc/passwd"));
    rejects(() => playbackApp("ivr/../../x.wav"));
    rejects(() => playbackApp("$${hold_music}"));
    expect(playbackApp("local_stream://moh").text).toBe("&playback(local_stream://moh)");
  });
});

describe("the bytes on the wire", () => {
  const uuid = "0f1e2d3c-4b5a-4697-8877-665544332211";

  test("originate: variables quoted for spaces, non-ASCII letters kept, exactly two arguments to FreeSWITCH", async () => {
    fake.clearReceived();
    const command = originateCommand({
      variables: {
        origination_uuid: uuid,
        origination_caller_id_name: "José Núñez",
        origination_caller_id_number: "1001",
        ignore_early_media: true,
      },
      endpoint: loopbackEndpoint("*9664", "example.com"),
      action: bridgeApp(userEndpoint("1002", "example.com"), { origination_caller_id_name: "Front Desk" }),
    });
    expect(command).toBe(
      `originate {origination_uuid=${uuid},origination_caller_id_name='José Núñez',origination_caller_id_number=1001,ignore_early_media=true}loopback/*9664/example.com &bridge({origination_caller_id_name='Front Desk'}user/1002@example.com)`,
    );
    expect(await sw.api(command)).toBe(`+OK ${uuid}\n`);
    expect(fake.received).toEqual([`api ${command}\n\n`]);
    const seen = fake.originates.at(-1)!;
    expect(seen.args).toHaveLength(2);
    expect(seen.variables).toEqual({
      origination_uuid: uuid,
      origination_caller_id_name: "José Núñez",
      origination_caller_id_number: "1001",
      ignore_early_media: "true",
    });
    expect(seen.endpoint).toBe("loopback/*9664/example.com");
    expect(seen.destination).toBe("&bridge({origination_caller_id_name=Front Desk}user/1002@example.com)");
  });

  test("originate to an extension with caller id and timeout", async () => {
    const command = originateCommand({
      endpoint: userEndpoint("1001", "example.com"),
      action: { extension: "1002", context: "example.com" },
      callerIdName: "Front Desk",
      callerIdNumber: "+15551234",
      timeoutSec: 30,
    });
    expect(command).toBe("originate user/1001@example.com 1002 XML example.com 'Front Desk' +15551234 30");
    await sw.api(command);
    const seen = fake.originates.at(-1)!;
    expect(seen.args).toEqual(["user/1001@example.com", "1002", "XML", "example.com", "Front Desk", "+15551234", "30"]);
  });

  test("transfer keeps its three words together as one app argument", async () => {
    const command = originateCommand({
      endpoint: userEndpoint("1001", "example.com"),
      action: transferApp("1002", "example.com"),
    });
    expect(command).toBe("originate user/1001@example.com &transfer('1002 XML example.com')");
    await sw.api(command);
    expect(fake.originates.at(-1)!.args).toEqual(["user/1001@example.com", "&transfer(1002 XML example.com)"]);
  });

  test("cache flushes: memcache delete, FusionPBX's CUSTOM event, luarun", async () => {
    fake.clearReceived();
    fake.memcache.set("directory:1001@example.com", "cached");
    expect(await sw.api(memcacheDeleteCommand("directory:1001@example.com"))).toBe("+OK\n");
    const event = cacheDeleteEvent("directory:1001@example.com");
    await sw.sendEvent(event.name, event.headers);
    await sw.api(luaClearCacheCommand("dialplan:example.com"));
    expect(fake.received).toEqual([
      "api memcache delete directory:1001@example.com\n\n",
      "sendevent CUSTOM\nEvent-Name: CUSTOM\nEvent-Subclass: fusion::file\nAPI-Command: cache\nAPI-Command-Argument: delete directory.1001@example.com\n\n",
      "api luarun app/servers/resources/clear_cache.lua delete dialplan.example.com\n\n",
    ]);
    expect(cacheDeleteEvent("dialplan:example.com", "memcache").headers).toEqual({
      "Event-Name": "CUSTOM",
      "Event-Subclass": "fusion::memcache",
      "API-Command": "memcache",
      "API-Command-Argument": "delete dialplan:example.com",
    });
  });

  test("callcenter, show, uuid_kill", async () => {
    fake.clearReceived();
    const agent = "5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e";
    fake.setAgents([{ name: agent }]);
    await sw.api(callcenterCommands.agentSetStatus(agent, "Available (On Demand)"));
    expect(fake.callCenter.agents.get(agent)?.status).toBe("Available (On Demand)");
    await sw.api(showJsonCommand("channels", "1001@example.com"));
    await sw.api(uuidKillCommand(uuid, "NORMAL_CLEARING")).catch(() => {});
    expect(fake.received).toEqual([
      `api callcenter_config agent set status ${agent} 'Available (On Demand)'\n\n`,
      "api show channels like 1001@example.com as json\n\n",
      `api uuid_kill ${uuid} NORMAL_CLEARING\n\n`,
    ]);
    expect(() => callcenterCommands.agentSetStatus(agent, "Available' ; x" as never)).toThrow(UnsafeCommandValueError);
  });
});
