import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { type FakeSwitch, startFakeSwitch } from "./fake-switch.ts";
import { type RawClient, rawConnect } from "./raw-client.ts";
import { BACKGROUND_JOB_JSON, BACKGROUND_JOB_PLAIN } from "./wire.test.ts";

const GREETING = "Content-Type: auth/request\n\n";
const ACCEPTED = "Content-Type: command/reply\nReply-Text: +OK accepted\n\n";
const NOTICE =
  "Content-Type: text/disconnect-notice\nContent-Length: 67\n\nDisconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n";
const JOB = "7f4de4b6-8a4e-4d27-9a7c-3c1d2b0e9f10";

let fake: FakeSwitch;
const clients: RawClient[] = [];

async function authed(): Promise<RawClient> {
  const client = await rawConnect(fake.port);
  clients.push(client);
  await client.waitFor((t) => t === GREETING);
  client.send("auth ClueCon\n\n");
  await client.waitFor((t) => t === GREETING + ACCEPTED);
  return client;
}

/** Everything received after the greeting and the auth reply. */
const after = (client: RawClient) => client.text().slice(GREETING.length + ACCEPTED.length);

beforeAll(async () => {
  fake = await startFakeSwitch({
    identity: { coreUuid: "2130a7d1-c1f7-44cd-8fae-8ed5946f3cec", hostname: "pbx1", ipv4: "192.0.2.10", ipv6: "::1" },
    clockMicros: () => 1714564800123456n,
    firstEventSequence: 4321,
  });
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  fake.clearOriginateScripts();
  fake.setOriginateOutcome({ kind: "answer" });
  for (const uuid of [...fake.channels.keys()]) fake.hangup(uuid);
});
afterAll(async () => {
  await fake.stop();
});

describe("connection lifecycle (docs/event-socket.md §1)", () => {
  test("greeting, then +OK accepted for the right password", async () => {
    const client = await authed();
    expect(client.text()).toBe(GREETING + ACCEPTED);
  });

  test("wrong password: -ERR invalid, the disconnect notice, then the socket closes", async () => {
    const client = await rawConnect(fake.port);
    clients.push(client);
    client.send("auth wrong\n\n");
    await client.closed;
    expect(client.text()).toBe(`${GREETING}Content-Type: command/reply\nReply-Text: -ERR invalid\n\n${NOTICE}`);
  });

  test("commands before auth get -ERR command not found and the connection stays usable", async () => {
    const client = await rawConnect(fake.port);
    clients.push(client);
    client.send("api status\n\n");
    const notFound = "Content-Type: command/reply\nReply-Text: -ERR command not found\n\n";
    await client.waitFor((t) => t === GREETING + notFound);
    client.send("auth ClueCon\n\n");
    await client.waitFor((t) => t === GREETING + notFound + ACCEPTED);
  });

  test("exit: +OK bye, the notice, close", async () => {
    const client = await authed();
    client.send("exit\n\n");
    await client.closed;
    expect(after(client)).toBe(`Content-Type: command/reply\nReply-Text: +OK bye\n\n${NOTICE}`);
  });

  test("no command within the auth timeout: the notice and close", async () => {
    const quick = await startFakeSwitch({ authTimeoutMs: 50 });
    const client = await rawConnect(quick.port);
    await client.closed;
    expect(client.text()).toBe(GREETING + NOTICE);
    await quick.stop();
  });

  test("stop() sends the shutdown notice; restart() listens on the same port again", async () => {
    const other = await startFakeSwitch();
    const port = other.port;
    const client = await rawConnect(port);
    await client.waitFor((t) => t === GREETING);
    client.send("auth ClueCon\n\n");
    await client.waitFor((t) => t.endsWith(ACCEPTED));
    await other.restart();
    await client.closed;
    expect(
      client
        .text()
        .endsWith("Content-Type: text/disconnect-notice\nContent-Length: 31\n\nThe system is being shut down.\n"),
    ).toBe(true);
    expect(other.port).toBe(port);
    const again = await rawConnect(port);
    await again.waitFor((t) => t === GREETING);
    again.close();
    await other.stop();
  });

  test("an oversize Content-Length drops the connection", async () => {
    const client = await authed();
    client.send(`sendevent CUSTOM\nContent-Length: ${17 * 1024 * 1024}\n\n`);
    await client.closed;
    expect(after(client)).toBe("");
  });
});

describe("api and bgapi", () => {
  test("unknown api command: the literal frame", async () => {
    const client = await authed();
    client.send("api foo\n\n");
    await client.waitFor(
      () => after(client) === "Content-Type: api/response\nContent-Length: 28\n\n-ERR foo Command not found!\n",
    );
  });

  test("originate with too few arguments answers the usage text", async () => {
    const client = await authed();
    client.send("api originate user/1001\n\n");
    await client.waitFor((t) => t.includes("-USAGE: <call url>"));
    expect(after(client)).toStartWith(
      "Content-Type: api/response\nContent-Length: 125\n\n-USAGE: <call url> <exten>|&<application_name>",
    );
  });

  test("bgapi: the command/reply with our Job-UUID, then BACKGROUND_JOB byte for byte (plain and json)", async () => {
    fake.scriptOriginate("user/1002@example.com", { kind: "busy" });
    const reply = `Content-Type: command/reply\nReply-Text: +OK Job-UUID: ${JOB}\nJob-UUID: ${JOB}\n\n`;
    for (const [format, frame] of [
      ["plain", BACKGROUND_JOB_PLAIN],
      ["json", BACKGROUND_JOB_JSON],
    ] as const) {
      const other = await startFakeSwitch({
        identity: {
          coreUuid: "2130a7d1-c1f7-44cd-8fae-8ed5946f3cec",
          hostname: "pbx1",
          ipv4: "192.0.2.10",
          ipv6: "::1",
        },
        clockMicros: () => 1714564800123456n,
        firstEventSequence: 4321,
      });
      other.scriptOriginate("user/1002@example.com", { kind: "busy" });
      const client = await rawConnect(other.port);
      client.send(`auth ClueCon\n\nevent ${format} BACKGROUND_JOB\n\n`);
      client.send(
        `bgapi originate {origination_caller_id_number=1001}user/1002@example.com &park\nJob-UUID: ${JOB}\n\n`,
      );
      const subscribed = `Content-Type: command/reply\nReply-Text: +OK event listener enabled ${format}\n\n`;
      const expected = GREETING + ACCEPTED + subscribed + reply + frame;
      await client.waitFor((t) => t.length >= expected.length);
      expect(client.text()).toBe(expected);
      client.close();
      await other.stop();
    }
  });

  test("a slow api holds the connection: later replies and events wait, order is kept", async () => {
    fake.scriptOriginate("user/slow", { kind: "answer", afterMs: 80, uuid: "11111111-2222-4333-8444-555555555555" });
    const client = await authed();
    client.send("event plain CHANNEL_CREATE\n\n");
    client.send("api originate user/slow@example.com &park\n\nbgapi status\nJob-UUID: x-1\n\napi create_uuid\n\n");
    await client.waitFor((t) => (t.match(/Content-Type: api\/response/g) ?? []).length === 2);
    const text = after(client);
    const okAt = text.indexOf("+OK 11111111-2222-4333-8444-555555555555\n");
    const createAt = text.indexOf("Event-Name: CHANNEL_CREATE");
    const jobAt = text.indexOf("Reply-Text: +OK Job-UUID: x-1");
    expect(okAt).toBeGreaterThan(0);
    expect(createAt).toBeGreaterThan(okAt);
    expect(jobAt).toBeGreaterThan(okAt);
  });
});

describe("event, filter, noevents replies (docs/event-socket.md §5)", () => {
  test("literal Reply-Texts", async () => {
    const client = await authed();
    const lines = [
      ["noevents", "-ERR not listening for events"],
      ["event json FOO", "-ERR no keywords supplied"],
      ["event plain CHANNEL_ANSWER", "+OK event listener enabled plain"],
      ["filter Unique-ID abc", "+OK filter added. [Unique-ID]=[abc]"],
      ["filter Unique-ID", "-ERR invalid syntax"],
      ["filter delete Unique-ID abc", "+OK filter deleted. [Unique-ID][abc]"],
      ["filter delete all", "+OK filter deleted. [all][]"],
      ["nixevent CHANNEL_ANSWER", "+OK events nixed"],
      ["noevents", "+OK no longer listening for events"],
      ["linger", "-ERR not controlling a session"],
      ["log info", "+OK log level info [6]"],
      ["nolog", "+OK no longer logging"],
      ["frobnicate", "-ERR command not found"],
    ];
    for (const [command] of lines) client.send(`${command}\n\n`);
    const expected = lines.map(([, reply]) => `Content-Type: command/reply\nReply-Text: ${reply}\n\n`).join("");
    await client.waitFor(() => after(client).length >= expected.length);
    expect(after(client)).toBe(expected);
  });

  test("filters: an event lacking the filtered header is dropped; positive filters are OR-ed", async () => {
    const client = await authed();
    client.send(
      "event plain CHANNEL_ANSWER CUSTOM fusion::file\n\nfilter Unique-ID u-1\n\nfilter Event-Subclass fusion::file\n\n",
    );
    await client.waitFor(() => (after(client).match(/Reply-Text/g) ?? []).length === 3);
    fake.fireEvent("CHANNEL_ANSWER", { "Unique-ID": "u-2" });
    fake.fireEvent("CHANNEL_ANSWER", { "Unique-ID": "u-1" });
    fake.fireEvent("CUSTOM", { "Event-Subclass": "fusion::file" });
    fake.fireEvent("CUSTOM", { "Event-Subclass": "fusion::memcache" });
    await client.waitFor(() => after(client).includes("Event-Subclass: fusion%3A%3Afile"));
    await Bun.sleep(20);
    expect(after(client)).toContain("Unique-ID: u-1\n");
    expect(after(client)).not.toContain("u-2");
    expect(after(client)).not.toContain("memcache");
  });
});

describe("scripted switch state", () => {
  /** The first api/response after `offset`, skipping event frames flushed in between. */
  function firstApiResponse(text: string, offset: number): string | null {
    let rest = Buffer.from(text.slice(offset));
    while (rest.length > 0) {
      const end = rest.indexOf("\n\n");
      if (end < 0) return null;
      const head = rest.toString("utf8", 0, end);
      const length = Number(/Content-Length: (\d+)/.exec(head)?.[1] ?? 0);
      if (rest.length < end + 2 + length) return null;
      const body = rest.toString("utf8", end + 2, end + 2 + length);
      if (head.includes("Content-Type: api/response")) return body;
      rest = rest.subarray(end + 2 + length);
    }
    return null;
  }

  async function api(client: RawClient, command: string): Promise<string> {
    const before = client.text().length;
    client.send(`api ${command}\n\n`);
    const text = await client.waitFor((t) => firstApiResponse(t, before) !== null);
    return firstApiResponse(text, before)!;
  }

  test("originate honours origination_uuid, fills show channels, fires CREATE/ANSWER/HANGUP_COMPLETE", async () => {
    const client = await authed();
    client.send("event json CHANNEL_CREATE CHANNEL_ANSWER CHANNEL_HANGUP_COMPLETE\n\n");
    await client.waitFor((t) => t.includes("+OK event listener enabled json"));
    const uuid = "0d6f1c2e-4b7a-4d7e-9a1b-2c3d4e5f6a7b";
    expect(await api(client, "show channels as json")).toBe('{"row_count": 0}\n');
    expect(
      await api(
        client,
        `originate {origination_uuid=${uuid},origination_caller_id_name='Front Desk'}loopback/*9664/example.com &park`,
      ),
    ).toBe(`+OK ${uuid}\n`);
    const rows = JSON.parse(await api(client, "show channels like 9664 as json"));
    expect(rows.row_count).toBe(1);
    expect(rows.rows[0]).toMatchObject({ uuid, name: "loopback/*9664-a", cid_name: "Front Desk", callstate: "ACTIVE" });
    expect(await api(client, "show channels like nomatch as json")).toBe('{"row_count": 0}\n');
    expect(await api(client, `uuid_kill ${uuid} USER_BUSY`)).toBe("+OK\n");
    expect(await api(client, `uuid_kill ${uuid}`)).toBe("-ERR No such channel!\n");
    await client.waitFor((t) => t.includes('"Event-Name":"CHANNEL_HANGUP_COMPLETE"'));
    const text = after(client);
    expect(text.indexOf('"Event-Name":"CHANNEL_CREATE"')).toBeLessThan(text.indexOf('"Event-Name":"CHANNEL_ANSWER"'));
    expect(text).toContain('"Hangup-Cause":"USER_BUSY"');
    expect(text).toContain(`"variable_origination_uuid":"${uuid}"`);
    expect(fake.originates.at(-1)?.variables["origination_caller_id_name"]).toBe("Front Desk");
  });

  test("busy, no answer and other causes", async () => {
    const client = await authed();
    fake.scriptOriginate("user/1001@", { kind: "busy" });
    fake.scriptOriginate("user/1002@", { kind: "noAnswer", afterMs: 5 });
    fake.scriptOriginate(/1003/, { kind: "fail", cause: "SUBSCRIBER_ABSENT" });
    expect(await api(client, "originate user/1001@a.example &park")).toBe("-ERR USER_BUSY\n");
    expect(await api(client, "originate user/1002@a.example &park")).toBe("-ERR NO_ANSWER\n");
    expect(await api(client, "originate user/1003@a.example &park")).toBe("-ERR SUBSCRIBER_ABSENT\n");
  });

  test("registrations, call center tables, memcache, luarun, reloadxml, setApiResponse", async () => {
    const client = await authed();
    fake.setRegistrations([{ reg_user: "1001", realm: "example.com", network_ip: "10.0.0.5" }]);
    const regs = JSON.parse(await api(client, "show registrations as json"));
    expect(regs.rows[0]).toMatchObject({ reg_user: "1001", realm: "example.com", network_ip: "10.0.0.5" });
    expect(Object.keys(regs.rows[0])).toEqual([
      "reg_user",
      "realm",
      "token",
      "url",
      "expires",
      "network_ip",
      "network_port",
      "network_proto",
      "hostname",
      "metadata",
    ]);
    fake.setRegistrations([]);
    expect(await api(client, "show registrations as json")).toBe('{"row_count": 0}\n');
    expect(await api(client, "show registrations")).toBe("\n0 total.\n");

    fake.setQueue("5000@example.com", [{ uuid: "m-1", cid_number: "15551234" }]);
    fake.setAgents([{ name: "a-1", contact: "user/1001@example.com", status: "Available" }]);
    const members = await api(client, "callcenter_config queue list members 5000@example.com");
    expect(members.split("\n")[0]).toBe(
      "queue|instance_id|uuid|session_uuid|cid_number|cid_name|system_epoch|joined_epoch|rejoined_epoch|bridge_epoch|abandoned_epoch|base_score|skill_score|serving_agent|serving_system|state|score",
    );
    expect(members.endsWith("\n+OK\n")).toBe(true);
    expect(await api(client, "callcenter_config queue list members 9999@example.com")).toBe("+OK\n");
    expect(await api(client, "callcenter_config agent list")).toContain(
      "\na-1|single_box||callback|user/1001@example.com|Available|Waiting|",
    );
    expect(await api(client, "callcenter_config agent set status a-1 'On Break'")).toBe("+OK\n");
    expect(await api(client, "callcenter_config agent set status a-1 'Sleeping'")).toBe("-ERR Invalid Agent Status!\n");
    expect(await api(client, "callcenter_config agent set status nobody 'On Break'")).toBe("-ERR Agent not found!\n");
    expect(await api(client, "callcenter_config queue count members 5000@example.com")).toBe("1\n");

    fake.memcache.set("directory:1001@example.com", "x");
    expect(await api(client, "memcache delete directory:1001@example.com")).toBe("+OK\n");
    expect(await api(client, "memcache delete directory:1001@example.com")).toBe("-ERR NOT FOUND\n");
    expect(await api(client, "luarun app/servers/resources/clear_cache.lua delete dialplan.example.com")).toBe("+OK\n");
    expect(fake.luaRuns.at(-1)).toBe("app/servers/resources/clear_cache.lua delete dialplan.example.com");
    const reloads = fake.reloadxmlCount;
    expect(await api(client, "reloadxml")).toBe("+OK [Success]\n");
    expect(fake.reloadxmlCount).toBe(reloads + 1);

    fake.setApiResponse("sofia status", "custom table\n");
    fake.setApiResponse("sofia status profile", (cmd) => `for ${cmd}\n`);
    expect(await api(client, "sofia status")).toBe("custom table\n");
    expect(await api(client, "sofia status profile internal")).toBe("for sofia status profile internal\n");
    fake.setApiResponse("echo", "");
    expect(await api(client, "echo")).toBe("-ERR no reply\n");
    for (const prefix of ["sofia status", "sofia status profile", "echo"]) fake.clearApiResponse(prefix);
  });

  test("sofia status (the table format of docs/event-socket.md §8) and sofia xmlstatus", async () => {
    const client = await authed();
    fake.setSofiaProfiles([
      { name: "internal", port: 5060, aliases: ["192.0.2.10"] },
      {
        name: "external",
        port: 5080,
        gateways: [{ name: "example.com", data: "sip:joeuser@example.com", state: "NOREG" }],
      },
    ]);
    expect(await api(client, "sofia status")).toBe(
      "                     Name\t   Type\t                                      Data\tState\n=================================================================================================\n                 internal\tprofile\t             sip:mod_sofia@192.0.2.10:5060\tRUNNING (0)\n               192.0.2.10\t  alias\t                                  internal\tALIASED\n                 external\tprofile\t             sip:mod_sofia@192.0.2.10:5080\tRUNNING (0)\n    external::example.com\tgateway\t                   sip:joeuser@example.com\tNOREG\n=================================================================================================\n2 profiles 1 alias\n",
    );
    fake.setRegistrations([{ reg_user: "1001", realm: "example.com", network_ip: "10.0.0.5", network_port: "5060" }]);
    const xml = await api(client, "sofia xmlstatus profile 'internal' reg");
    expect(xml).toStartWith(
      '<?xml version="1.0" encoding="ISO-8859-1"?>\n<profile>\n  <registrations>\n    <registration>\n        <call-id>',
    );
    expect(xml).toContain("        <user>1001@example.com</user>\n");
    expect(xml).toContain("        <contact>&quot;&quot; &lt;sip:1001@10.0.0.5:5060;transport=udp&gt;</contact>\n");
    expect(xml).toContain("<status>Registered(UDP)(unknown) exp(");
    expect(await api(client, "sofia xmlstatus profile external reg")).toBe(
      '<?xml version="1.0" encoding="ISO-8859-1"?>\n<profile>\n  <registrations>\n  </registrations>\n</profile>\n',
    );
    expect(await api(client, "sofia xmlstatus profile nosuch reg")).toBe("Invalid Profile!\n");
    fake.setRegistrations([]);
  });

  test("sendevent: +OK <uuid>, recorded, delivered to subscribers; received holds the raw bytes", async () => {
    const client = await authed();
    fake.clearReceived();
    client.send("event plain CUSTOM fusion::file\n\n");
    const command =
      "sendevent CUSTOM\nEvent-Name: CUSTOM\nEvent-Subclass: fusion::file\nAPI-Command: cache\nAPI-Command-Argument: delete directory.1001@example.com\n\n";
    client.send(command);
    await client.waitFor(
      (t) =>
        /Reply-Text: \+OK [0-9a-f-]{36}\n/.test(t) &&
        t.includes("API-Command-Argument: delete%20directory.1001%40example.com"),
    );
    expect(fake.received).toEqual(["event plain CUSTOM fusion::file\n\n", command]);
    expect(fake.sentEvents.at(-1)?.headers["API-Command-Argument"]).toBe("delete directory.1001@example.com");
  });
});

describe("stall and resume (a FreeSWITCH under SIGSTOP, then SIGCONT)", () => {
  afterEach(() => fake.resume());

  test("stalled: bytes are accepted but nothing is read, run or sent; resumed: the queued commands run in order", async () => {
    const client = await authed();
    client.send("event plain CHANNEL_ANSWER\n\n");
    await client.waitFor((t) => t.includes("+OK event listener enabled plain"));
    const uuid = crypto.randomUUID();
    fake.stall();
    client.send(`bgapi originate {origination_uuid=${uuid}}loopback/1001/a.example.com &park\nJob-UUID: ${JOB}\n\n`);
    const late = await rawConnect(fake.port);
    clients.push(late);
    await Bun.sleep(200);
    expect(after(client)).toBe("Content-Type: command/reply\nReply-Text: +OK event listener enabled plain\n\n");
    expect(late.text()).toBe("");
    expect(fake.originates.filter((o) => o.uuid === uuid)).toEqual([]);
    expect(fake.received.some((r) => r.includes(uuid))).toBe(false);

    fake.resume();
    await client.waitFor((t) => t.includes("Event-Name: BACKGROUND_JOB") || t.includes("Event-Name: CHANNEL_ANSWER"));
    await late.waitFor((t) => t === GREETING);
    expect(fake.originates.filter((o) => o.uuid === uuid)).toHaveLength(1);
    expect(fake.channels.get(uuid)?.callstate).toBe("ACTIVE");
    expect(after(client)).toContain(`Reply-Text: +OK Job-UUID: ${JOB}`);
  });

  test("a client that gave up and hung up during the stall still has its queued originate run on resume", async () => {
    const watcher = await authed();
    watcher.send("event plain CHANNEL_CREATE CHANNEL_ANSWER\n\n");
    await watcher.waitFor((t) => t.includes("+OK event listener enabled plain"));
    const client = await authed();
    const uuid = crypto.randomUUID();
    fake.stall();
    client.send(`bgapi originate {origination_uuid=${uuid}}loopback/1002/a.example.com &park\nJob-UUID: ${JOB}\n\n`);
    await Bun.sleep(50);
    client.close();
    await client.closed;
    await Bun.sleep(50);
    expect(fake.originates.filter((o) => o.uuid === uuid)).toEqual([]);

    fake.resume();
    await watcher.waitFor((t) => t.includes(`Unique-ID: ${uuid}`) && t.includes("Event-Name: CHANNEL_ANSWER"));
    expect(fake.originates.filter((o) => o.uuid === uuid)).toHaveLength(1);
    expect(fake.channels.has(uuid)).toBe(true);
  });

  test("a switch stopped while stalled never runs what waited", async () => {
    const other = await startFakeSwitch();
    try {
      const raw = await rawConnect(other.port);
      await raw.waitFor((t) => t === GREETING);
      raw.send("auth ClueCon\n\n");
      await raw.waitFor((t) => t.endsWith(ACCEPTED));
      other.stall();
      raw.send("bgapi originate loopback/1003/a.example.com &park\n\n");
      await Bun.sleep(50);
      await other.stop();
      raw.close();
      expect(other.originates).toEqual([]);
      expect(other.stalled).toBe(false);
    } finally {
      await other.stop();
    }
  });
});
