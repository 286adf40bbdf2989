import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { startFakeSwitch } from "@switchboard/esl/testing";
import { type CallsFixture, openCallsFixture, poolFor } from "../calls/test-support.ts";
import type { ActionContext } from "../context.ts";
import { runAction } from "../execute.ts";
import { runLegacyAction } from "../legacy/run-legacy.ts";
import { callcenterAgents } from "./callcenter-agents.ts";
import { callcenterQueue } from "./callcenter-queue.ts";
import { callcenterQueueSize } from "./callcenter-queuesize.ts";
import { channelList } from "./channel-list.ts";
import { channelStatus } from "./channel-status.ts";
import { registrations } from "./registrations.ts";

/** FreeSWITCH variable/API expansion, as an attacker would send it. */
const EXPANSION = "$" + "{system(id)}";

const dump = "fusionpbx-5.1.0";

describe("the deleted switch reads (status, registrations, callcenter-*)", () => {
  let fx: CallsFixture;
  let legacy: ActionContext;
  let typed: ActionContext;
  let boundToB: ActionContext;
  const a = { uuid: "", name: "a.example.com" };
  const b = { uuid: "", name: "b.example.com" };

  beforeAll(async () => {
    fx = await openCallsFixture(dump);
    a.uuid = await fx.addDomain(a.name);
    b.uuid = await fx.addDomain(b.name);
    legacy = await fx.ctx({ face: "legacy" });
    typed = await fx.ctx({ face: "trpc" });
    boundToB = await fx.ctx({ face: "trpc", domainUuid: b.uuid });
  }, 60_000);
  afterAll(async () => fx?.close(), 30_000);
  beforeEach(() => fx.fake.clearReceived());

  describe("status (calls.channel)", () => {
    test("a channel by uuid: its row, asked with `show channels like <uuid> as json`", async () => {
      const channel = fx.fake.addChannel({ context: a.name, cid_num: "1001", dest: "*9664" });
      const reply = await runLegacyAction(channelStatus, legacy, {
        action: "status",
        uuid: channel.uuid.toUpperCase(),
      });
      expect(reply).toEqual({ status: 200, body: channel });
      expect(fx.fake.apiCommands()).toEqual([`show channels like ${channel.uuid} as json`]);
    });

    test("no such channel, the original's body; not a uuid, its 'Invalid UUID' (nothing sent)", async () => {
      expect(await runLegacyAction(channelStatus, legacy, { uuid: crypto.randomUUID() })).toEqual({
        status: 200,
        body: { error: "UUID not found" },
      });
      fx.fake.clearReceived();
      for (const bad of ["x", "1 as json\n\nbgapi system id", "%"]) {
        expect(await runLegacyAction(channelStatus, legacy, { uuid: bad })).toEqual({
          status: 400,
          body: { error: "Invalid UUID" },
        });
      }
      expect(await runLegacyAction(channelStatus, legacy, {})).toMatchObject({ status: 400 });
      expect(fx.fake.apiCommands()).toEqual([]);
    });

    test("a substring match of another channel is not the channel asked for", async () => {
      const wanted = crypto.randomUUID();
      fx.fake.addChannel({ context: a.name, presence_id: `x${wanted}@a.example.com` });
      await expect(runAction(channelStatus, typed, { uuid: wanted })).rejects.toMatchObject({ code: "NOT_FOUND" });
    });

    test("a key bound to a domain sees only its domain's channels", async () => {
      const inA = fx.fake.addChannel({ context: a.name });
      const inB = fx.fake.addChannel({ context: "public", presence_id: `1001@${b.name}` });
      await expect(runAction(channelStatus, boundToB, { uuid: inA.uuid })).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect(await runAction(channelStatus, boundToB, { uuid: inB.uuid })).toEqual(inB);
    });
  });

  describe("channel-list (calls.live)", () => {
    test("a domain's live channels from `show channels as json`; a bound key sees only its own domain", async () => {
      const inA = fx.fake.addChannel({ context: a.name, cid_num: "1001", dest: "1002" });
      const inB = fx.fake.addChannel({ context: "public", presence_id: `1001@${b.name}` });
      try {
        const uuids = async (ctx: ActionContext, input: Record<string, unknown>) =>
          ((await runAction(channelList, ctx, input)) as { uuid: string }[]).map((c) => c.uuid);
        const ofA = (await runAction(channelList, typed, { domain_uuid: a.uuid })) as { uuid: string }[];
        expect(ofA).toContainEqual(inA);
        expect(ofA.map((c) => c.uuid)).not.toContain(inB.uuid);
        expect(fx.fake.apiCommands()).toEqual(["show channels as json"]);
        const ofB = await uuids(boundToB, {});
        expect(ofB).toContain(inB.uuid);
        expect(ofB).not.toContain(inA.uuid);
        await expect(runAction(channelList, boundToB, { domain_uuid: a.uuid })).rejects.toMatchObject({
          code: "NOT_FOUND",
        });
        expect(await uuids(typed, {})).toEqual(expect.arrayContaining([inA.uuid, inB.uuid]));
      } finally {
        fx.fake.hangup(inA.uuid);
        fx.fake.hangup(inB.uuid);
      }
    });
  });

  describe("registrations (registrations.list)", () => {
    beforeAll(() => {
      fx.fake.setRegistrations([
        { reg_user: "1001", realm: a.name },
        { reg_user: "1002", realm: a.name },
        { reg_user: "2001", realm: b.name },
      ]);
    });

    test("per domain, or every domain for an unscoped key", async () => {
      const inA = (await runAction(registrations, typed, { domain_uuid: a.uuid })) as Array<Record<string, string>>;
      expect(inA.map((r) => r.reg_user)).toEqual(["1001", "1002"]);
      expect(inA[0]).toMatchObject({ realm: a.name, network_proto: "udp" });
      const all = (await runAction(registrations, typed, {})) as Array<Record<string, string>>;
      expect(all.map((r) => r.reg_user)).toEqual(["1001", "1002", "2001"]);
      expect(fx.fake.apiCommands()).toEqual(["show registrations as json", "show registrations as json"]);
    });

    test("a bound key gets its own domain by default and not found for another", async () => {
      expect(
        ((await runAction(registrations, boundToB, {})) as Array<Record<string, string>>).map((r) => r.reg_user),
      ).toEqual(["2001"]);
      await expect(runAction(registrations, boundToB, { domain_uuid: a.uuid })).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    });

    test("legacy: the rows, or the original's 'No registrations found'", async () => {
      const reply = await runLegacyAction(registrations, legacy, { action: "registrations" });
      expect(reply.status).toBe(200);
      expect((reply.body as unknown[]).length).toBe(3);
      const empty = await fx.addDomain("empty.example.com");
      expect(await runLegacyAction(registrations, legacy, { domain_uuid: empty })).toEqual({
        status: 200,
        body: { error: "No registrations found" },
      });
      expect(await runLegacyAction(registrations, legacy, { domain_uuid: "nope" })).toEqual({
        status: 404,
        body: { error: "domain not found" },
      });
    });
  });

  describe("callcenter-queue / callcenter-queuesize / callcenter-agents", () => {
    const agentA = crypto.randomUUID();
    const agentB = crypto.randomUUID();
    beforeAll(async () => {
      fx.fake.setQueue(`800@${a.name}`, [
        { uuid: crypto.randomUUID(), cid_number: "2065550100", state: "Waiting" },
        { uuid: crypto.randomUUID(), cid_number: "2065550101", state: "Waiting" },
        { uuid: crypto.randomUUID(), cid_number: "2065550102", state: "Answered" },
      ]);
      fx.fake.setQueue(`900@${b.name}`, []);
      fx.fake.setAgents([{ name: agentA, status: "Available" }, { name: agentB }, { name: `legacy@${b.name}` }]);
      await fx.db.sql`insert into v_call_center_agents (call_center_agent_uuid, domain_uuid, agent_name) values
        (${agentA}, ${a.uuid}, 'Alice'), (${agentB}, ${b.uuid}, 'Bob')`;
    });

    test("queue members parsed like the original's parse_fs, by full name or extension + domain", async () => {
      const byName = (await runLegacyAction(callcenterQueue, legacy, { queue: `800@${a.name}` })) as {
        status: number;
        body: Array<Record<string, string>>;
      };
      expect(byName.status).toBe(200);
      expect(byName.body.map((m) => m.cid_number)).toEqual(["2065550100", "2065550101", "2065550102"]);
      expect(byName.body[0]).toMatchObject({ queue: `800@${a.name}`, state: "Waiting" });
      const byExtension = await runAction(callcenterQueue, typed, { queue: "800", domain_uuid: a.uuid });
      expect(byExtension).toEqual(byName.body);
      expect(fx.fake.apiCommands()).toEqual([
        `callcenter_config queue list members 800@${a.name}`,
        `callcenter_config queue list members 800@${a.name}`,
      ]);
    });

    test("queue size counts members by state; an empty queue is PHP's []", async () => {
      expect(await runAction(callcenterQueueSize, typed, { queue: `800@${a.name}` })).toEqual({
        Waiting: 2,
        Answered: 1,
      });
      expect(await runLegacyAction(callcenterQueueSize, legacy, { queue: `900@${b.name}` })).toEqual({
        status: 200,
        body: [],
      });
    });

    test("a bound key cannot read another domain's queue (not found, the original's failure shape on legacy)", async () => {
      await expect(runAction(callcenterQueue, boundToB, { queue: `800@${a.name}` })).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
      expect(await runAction(callcenterQueue, boundToB, { queue: "900" })).toEqual([]);
      const legacyB = await fx.ctx({ face: "legacy", domainUuid: b.uuid });
      expect(await runLegacyAction(callcenterQueueSize, legacyB, { queue: `800@${a.name}` })).toEqual({
        status: 200,
        body: { success: false, reason: "queue not found" },
      });
    });

    test("hostile queue names: 400, nothing sent", async () => {
      for (const bad of [
        "800@a.example.com\n\nbgapi system id",
        "800 x@a.example.com",
        "800@a.example.com'",
        "800@a@b",
        "800@a.example.com,x",
      ]) {
        expect(await runLegacyAction(callcenterQueue, legacy, { queue: bad })).toEqual({
          status: 400,
          body: { error: "invalid parameter: queue" },
        });
      }
      for (const bad of ["80'0", EXPANSION, "800\n\nbgapi system id", "8 0"]) {
        expect(await runLegacyAction(callcenterQueue, legacy, { queue: bad, domain_uuid: a.uuid })).toEqual({
          status: 400,
          body: { error: "invalid parameter: queue" },
        });
      }
      expect(fx.fake.apiCommands()).toEqual([]);
    });

    test("FreeSWITCH failures: the original's {success:false, reason:<last line>}", async () => {
      fx.fake.setApiResponse("callcenter_config", "-ERR callcenter_config Command not found!\n");
      try {
        expect(await runLegacyAction(callcenterQueue, legacy, { queue: `800@${a.name}` })).toEqual({
          status: 200,
          body: { success: false, reason: "-ERR callcenter_config Command not found!" },
        });
        await expect(runAction(callcenterAgents, typed, {})).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
      } finally {
        fx.fake.clearApiResponse("callcenter_config");
      }
      const gone = await startFakeSwitch();
      const pool = poolFor(gone);
      await gone.stop();
      try {
        const down = await fx.ctx({ face: "legacy" }, { switches: pool });
        expect(await runLegacyAction(callcenterQueue, down, { queue: `800@${a.name}` })).toEqual({
          status: 200,
          body: { success: false, reason: "Failed to connect to event socket" },
        });
      } finally {
        await pool.close();
      }
    }, 20_000);

    test("agents: every agent for an unscoped key, a domain's own (by agent uuid or @domain) otherwise", async () => {
      const all = (await runLegacyAction(callcenterAgents, legacy, { action: "callcenter-agents" })) as {
        status: number;
        body: Array<Record<string, string>>;
      };
      expect(all.body.map((r) => r.name).sort()).toEqual([agentA, agentB, `legacy@${b.name}`].sort());
      expect(all.body.find((r) => r.name === agentA)).toMatchObject({ status: "Available", type: "callback" });
      expect(fx.fake.apiCommands()).toEqual(["callcenter_config agent list"]);
      const inA = (await runAction(callcenterAgents, typed, { domain_uuid: a.uuid })) as Array<Record<string, string>>;
      expect(inA.map((r) => r.name)).toEqual([agentA]);
      const inB = (await runAction(callcenterAgents, boundToB, {})) as Array<Record<string, string>>;
      expect(inB.map((r) => r.name).sort()).toEqual([agentB, `legacy@${b.name}`].sort());
    });
  });

  test("status and registrations with the switch down: the 500 body of the modern API", async () => {
    const gone = await startFakeSwitch();
    const pool = poolFor(gone);
    await gone.stop();
    try {
      const down = await fx.ctx({ face: "legacy" }, { switches: pool });
      const body = { error: "internal_server_error", message: "failed to connect to FreeSWITCH" };
      expect(await runLegacyAction(channelStatus, down, { uuid: crypto.randomUUID() })).toEqual({ status: 500, body });
      expect(await runLegacyAction(registrations, down, {})).toEqual({ status: 500, body });
    } finally {
      await pool.close();
    }
  }, 20_000);
});
