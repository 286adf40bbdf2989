import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { webhookCreate } from "../actions/webhook-create.ts";
import { webhookDelete } from "../actions/webhook-delete.ts";
import { webhookDeliveries } from "../actions/webhook-deliveries.ts";
import { webhookList } from "../actions/webhook-list.ts";
import { webhookReplay } from "../actions/webhook-replay.ts";
import { webhookTest } from "../actions/webhook-test.ts";
import { webhookUpdate } from "../actions/webhook-update.ts";
import type { Caller } from "../caller.ts";
import type { ActionContext } from "../context.ts";
import { runAction } from "../execute.ts";
import { createTestContext } from "../testing/test-context.ts";
import { Webhook } from "standardwebhooks";
import { startReceiver } from "./test-support.ts";

let db: TestDatabase;
const domainA = crypto.randomUUID();
const domainB = crypto.randomUUID();
let admin: ActionContext;
let boundA: ActionContext;
let readerA: ActionContext;

const contextFor = (caller: Partial<Caller>) => createTestContext({ sql: db.sql, switches: {} as never, caller });

beforeAll(async () => {
  process.env.WEBHOOK_URL_ALLOW = "127.0.0.1";
  db = await createTestDatabase({ migrate: true });
  await db.sql`insert into v_domains (domain_uuid, domain_name, domain_enabled)
    values (${domainA}::uuid, 'a.actions.example', true), (${domainB}::uuid, 'b.actions.example', true)`;
  admin = await contextFor({});
  boundA = await contextFor({ domainUuid: domainA, scopes: new Set(["webhooks"]) });
  readerA = await contextFor({ domainUuid: domainA, scopes: new Set(["read", "write"]) });
}, 60_000);

afterAll(async () => {
  delete process.env.WEBHOOK_URL_ALLOW;
  await db?.drop();
});

type Hook = { webhook_uuid: string; domain_uuid: string | null; secret?: string; enabled: boolean; url: string };

describe("webhook actions", () => {
  test("create answers a whsec_ secret once; list and update never show it", async () => {
    const hook = (await runAction(webhookCreate, boundA, {
      url: "https://hooks.example.com/switchboard",
      event_types: ["call.missed", "call.ended", "call.missed"],
    })) as Hook & { event_types: string[] };
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(hook.domain_uuid).toBe(domainA);
    expect(hook.event_types).toEqual(["call.ended", "call.missed"]);
    const list = (await runAction(webhookList, boundA, {})) as { items: Hook[] };
    expect(list.items.map((h) => h.webhook_uuid)).toContain(hook.webhook_uuid);
    expect(JSON.stringify(list)).not.toContain(hook.secret!);
    const updated = await runAction(webhookUpdate, boundA, { webhook_uuid: hook.webhook_uuid, description: "CRM" });
    expect(JSON.stringify(updated)).not.toContain(hook.secret!);
  });

  test("a domain-bound key manages only its domain's endpoints", async () => {
    const other = (await runAction(webhookCreate, admin, {
      url: "https://hooks.example.com/b",
      event_types: ["*"],
      domain_uuid: domainB,
    })) as Hook;
    const global = (await runAction(webhookCreate, admin, {
      url: "https://hooks.example.com/all",
      event_types: ["*"],
    })) as Hook;
    expect(global.domain_uuid).toBeNull();
    await expect(
      runAction(webhookCreate, boundA, {
        url: "https://hooks.example.com/x",
        event_types: ["*"],
        domain_uuid: domainB,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const list = (await runAction(webhookList, boundA, {})) as { items: Hook[] };
    expect(list.items.every((h) => h.domain_uuid === domainA)).toBe(true);
    for (const hook of [other, global]) {
      for (const [action, input] of [
        [webhookUpdate, { webhook_uuid: hook.webhook_uuid, enabled: false }],
        [webhookTest, { webhook_uuid: hook.webhook_uuid }],
        [webhookDeliveries, { webhook_uuid: hook.webhook_uuid }],
        [webhookReplay, { webhook_uuid: hook.webhook_uuid, since: "2026-01-01T00:00:00Z" }],
        [webhookDelete, { webhook_uuid: hook.webhook_uuid }],
      ] as const) {
        await expect(runAction(action, boundA, input)).rejects.toMatchObject({ code: "NOT_FOUND" });
      }
    }
    const [still] = await db.sql`select count(*)::int as n from switchboard_webhooks
      where webhook_uuid in (${other.webhook_uuid}::uuid, ${global.webhook_uuid}::uuid) and enabled`;
    expect(still!.n).toBe(2);
  });

  test("the webhooks scope (or admin) is needed", async () => {
    await expect(runAction(webhookList, readerA, {})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      runAction(webhookCreate, readerA, { url: "https://hooks.example.com/x", event_types: ["*"] }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  test("URLs at loopback, private or link-local addresses are refused unless the operator allows them", async () => {
    const saved = process.env.WEBHOOK_URL_ALLOW;
    process.env.WEBHOOK_URL_ALLOW = "";
    try {
      for (const url of [
        "http://127.0.0.1:8080/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.5/hook",
        "http://[::1]/hook",
        "http://localhost/hook",
      ]) {
        await expect(runAction(webhookCreate, admin, { url, event_types: ["*"] })).rejects.toMatchObject({
          code: "BAD_REQUEST",
          field: "url",
        });
      }
      for (const url of ["ftp://hooks.example.com/x", "https://user:pw@hooks.example.com/x", "not a url"]) {
        await expect(runAction(webhookCreate, admin, { url, event_types: ["*"] })).rejects.toMatchObject({
          code: "BAD_REQUEST",
          field: "url",
        });
      }
    } finally {
      process.env.WEBHOOK_URL_ALLOW = saved;
    }
    await expect(
      runAction(webhookCreate, admin, { url: "https://hooks.example.com/x", event_types: ["call.exploded"] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", field: "event_types.0" });
  });

  test("webhook-test sends a signed webhook.test and files it in the delivery log", async () => {
    const r = startReceiver();
    try {
      const hook = (await runAction(webhookCreate, boundA, { url: r.url, event_types: ["*"] })) as Hook;
      const result = (await runAction(webhookTest, boundA, { webhook_uuid: hook.webhook_uuid })) as {
        delivered: boolean;
        status_code: number;
        webhook_id: string;
        response_excerpt: string;
      };
      expect(result).toMatchObject({ delivered: true, status_code: 200, response_excerpt: "answer 200" });
      const got = r.received[0]!;
      expect(got.headers["webhook-id"]).toBe(result.webhook_id);
      expect(new Webhook(hook.secret!).verify(got.body, got.headers)).toMatchObject({ type: "webhook.test" });
      r.script([500]);
      const failed = (await runAction(webhookTest, boundA, { webhook_uuid: hook.webhook_uuid })) as {
        delivered: boolean;
        reason: string;
      };
      expect(failed).toMatchObject({ delivered: false, reason: "the endpoint answered 500" });
      const log = (await runAction(webhookDeliveries, boundA, { webhook_uuid: hook.webhook_uuid, limit: 1 })) as {
        items: { event_type: string; status: string; attempt_log: unknown[] }[];
        nextCursor: string | null;
      };
      expect(log.items).toMatchObject([{ event_type: "webhook.test", status: "failed" }]);
      const next = (await runAction(webhookDeliveries, boundA, {
        webhook_uuid: hook.webhook_uuid,
        limit: 1,
        cursor: log.nextCursor!,
      })) as { items: { status: string }[]; nextCursor: string | null };
      expect(next.items).toMatchObject([{ status: "succeeded" }]);
      expect(next.nextCursor).toBeNull();
      await expect(
        runAction(webhookDeliveries, boundA, { webhook_uuid: hook.webhook_uuid, cursor: "bogus" }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST", field: "cursor" });
    } finally {
      await r.stop();
    }
  });

  test("replay needs one delivery or a time, and an enabled endpoint", async () => {
    const hook = (await runAction(webhookCreate, boundA, {
      url: "https://hooks.example.com/r",
      event_types: ["*"],
    })) as Hook;
    await expect(runAction(webhookReplay, boundA, { webhook_uuid: hook.webhook_uuid })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await runAction(webhookUpdate, boundA, { webhook_uuid: hook.webhook_uuid, enabled: false });
    await expect(
      runAction(webhookReplay, boundA, { webhook_uuid: hook.webhook_uuid, since: "2026-01-01T00:00:00Z" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    const enabled = (await runAction(webhookUpdate, boundA, {
      webhook_uuid: hook.webhook_uuid,
      enabled: true,
    })) as Hook;
    expect(enabled.enabled).toBe(true);
    await expect(
      runAction(webhookReplay, boundA, { webhook_uuid: hook.webhook_uuid, delivery_id: "999999" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const deleted = await runAction(webhookDelete, boundA, { webhook_uuid: hook.webhook_uuid });
    expect(deleted).toEqual({ webhook_uuid: hook.webhook_uuid, deleted: true });
  });
});
