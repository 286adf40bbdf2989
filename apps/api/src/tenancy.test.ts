/**
 * Tenancy, generated from the registry: a key bound to domain A calls every action with domain B's
 * identifiers (its uuid and name, its extension, destination, ring group, call, channel, queue and key) on
 * the legacy route, on tRPC, through `runAction` and through the in-process caller (`createCaller`). Nothing of B may come back and no row of B may change.
 * A new action is covered without being listed here: its input fields are filled from its own schema.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  type ActionContext,
  type AnyAction,
  actions,
  createCaller,
  createKey,
  jsonSchemaOf,
  runAction,
  SCOPES,
} from "@switchboard/core";
import { testCaller } from "@switchboard/core/testing";
import type { SchemaKind } from "@switchboard/db/testing";
import { LEGACY_PATH } from "./legacy/rest-php.ts";
import { basic, type Harness, startHarness } from "./testing/harness.ts";

interface Tenant {
  uuid: string;
  name: string;
  extensionUuid: string;
  extension: string;
  destinationUuid: string;
  number: string;
  ringGroupUuid: string;
  ringGroupExtension: string;
  callUuid: string;
  channelUuid: string;
  keyId: string;
  secret: string;
  webhookUuid: string;
}

type Json = { type?: string | string[]; enum?: unknown[]; properties?: Record<string, Json>; required?: string[] };

const VARIANTS: (SchemaKind | "migrations")[] = ["migrations", "fusionpbx-5.1.0", "fusionpbx-5.6-master"];

/** Field names that identify something of a domain, and B's value for each. */
function identifiersOf(b: Tenant): Record<string, unknown> {
  return {
    domain_uuid: b.uuid,
    domain_name: b.name,
    domain: b.name,
    extension_uuid: b.extensionUuid,
    extension: b.extension,
    destination_uuid: b.destinationUuid,
    number: b.number,
    ring_group_uuid: b.ringGroupUuid,
    call_uuid: b.callUuid,
    uuid: b.channelUuid,
    queue: `${b.ringGroupExtension}@${b.name}`,
    key_uuid: b.keyId,
    webhook_uuid: b.webhookUuid,
  };
}

/** A valid value for a required field that names nothing of a domain, from its JSON Schema. */
function filler(name: string, schema: Json): unknown {
  const known: Record<string, unknown> = {
    name: "intruder",
    strategy: "simultaneous",
    destinations: [{ number: "1001" }],
    scopes: ["read"],
    user_id: "U0INTRUDER",
    url: "https://hooks.example.com/intruder",
    event_types: ["*"],
  };
  if (name in known) return known[name];
  if (schema.enum?.length) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === "integer" || type === "number") return 1;
  if (type === "boolean") return true;
  if (type === "array") return [];
  if (type === "object") return {};
  return "1001";
}

/** The inputs an attacker bound to A tries: all of B's identifiers, then with A's uuid, then without a domain. */
function attacks(action: AnyAction, a: Tenant, b: Tenant): Record<string, unknown>[] {
  const json = jsonSchemaOf(action.input, "input") as Json;
  const fields = Object.keys(json.properties ?? {});
  const required = new Set(json.required ?? []);
  const ids = identifiersOf(b);
  const all: Record<string, unknown> = {};
  for (const field of fields) {
    if (field in ids) all[field] = ids[field];
    else if (required.has(field)) all[field] = filler(field, json.properties?.[field] ?? {});
  }
  // The legacy route knows some fields by the original's names (destination_a, cid, …).
  for (const field of action.legacy?.required ?? [])
    if (!(field in all)) all[field] = field in ids ? ids[field] : "1001";
  const variants = [all];
  if ("domain_uuid" in all) {
    variants.push({ ...all, domain_uuid: a.uuid });
    const { domain_uuid: _, ...rest } = all;
    if (!required.has("domain_uuid")) variants.push(rest);
  }
  if ("domain_name" in all) {
    const { domain_uuid: _, ...byName } = all;
    variants.push(byName);
  }
  return variants;
}

/** Count and checksum of B's rows in every table that files rows under a domain, plus B's key. */
async function fingerprintOf(h: Harness, b: Tenant): Promise<Record<string, string>> {
  const tables = await h.db.sql<{ table_name: string }[]>`
    select table_name from information_schema.columns
    where table_schema = 'public' and column_name = 'domain_uuid' and table_name not in ('switchboard_audit')
    order by table_name`;
  const out: Record<string, string> = {};
  for (const { table_name } of tables) {
    const [row] = await h.db.sql.unsafe(
      `select count(*)::int as n, coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as sum
       from "${table_name}" t where domain_uuid::text = $1`,
      [b.uuid],
    );
    out[table_name] = `${row!.n}:${row!.sum}`;
  }
  const [key] = await h.db.sql`select md5(t::text) as sum from rest_api_keys t where key_uuid = ${b.keyId}::uuid`;
  out.rest_api_keys = String(key?.sum);
  return out;
}

async function seedTenant(h: Harness, unbound: ActionContext, name: string, n: string): Promise<Tenant> {
  const uuid = crypto.randomUUID();
  await h.db
    .sql`insert into v_domains (domain_uuid, domain_name, domain_enabled) values (${uuid}::uuid, ${name}, true)`;
  const run = (action: string, input: Record<string, unknown>) =>
    runAction(actions.find((x) => x.name === action)!, unbound, input) as Promise<Record<string, unknown>>;
  const extension = `${n}01`;
  const ext = (await run("extension-create", { domain_uuid: uuid, extension })) as { row: { extension_uuid: string } };
  const number = `555${n}99`;
  const dest = (await run("destination-create", { domain_uuid: uuid, number, extension })) as {
    row: { destination_uuid: string };
  };
  const ringGroupExtension = `${n}02`;
  const group = (await run("ringgroup-create", {
    domain_uuid: uuid,
    name: `${name} sales`,
    extension: ringGroupExtension,
    destinations: [{ number: extension }],
    strategy: "simultaneous",
  })) as { row: { ring_group_uuid: string } };
  const call = (await run("originate", {
    domain_uuid: uuid,
    caller_id_number: extension,
    ring_first: extension,
    connect_to: ringGroupExtension,
    mode: "sync",
  })) as { call_uuid: string };
  const channel = h.fake.addChannel({ context: name, presence_id: `${extension}@${name}`, cid_num: extension });
  await h.db.sql`
    insert into v_xml_cdr (xml_cdr_uuid, domain_uuid, domain_name, caller_id_number, destination_number, start_stamp, end_stamp)
    values (${crypto.randomUUID()}::uuid, ${uuid}::uuid, ${name}, ${extension}, ${number}, now(), now())`;
  const key = await createKey(h.db.sql, { name: `${name} admin`, domainUuid: uuid, scopes: [...SCOPES] });
  const webhook = (await run("webhook-create", {
    domain_uuid: uuid,
    url: `https://hooks.example.com/${name}`,
    event_types: ["*"],
  })) as { webhook_uuid: string };
  return {
    uuid,
    name,
    extensionUuid: ext.row.extension_uuid,
    extension,
    destinationUuid: dest.row.destination_uuid,
    number,
    ringGroupUuid: group.row.ring_group_uuid,
    ringGroupExtension,
    callUuid: call.call_uuid,
    channelUuid: channel.uuid,
    keyId: key.keyId,
    secret: key.secret,
    webhookUuid: webhook.webhook_uuid,
  };
}

for (const variant of VARIANTS) {
  describe(`tenancy on ${variant}: a key bound to A never sees or changes B`, () => {
    let h: Harness;
    let a: Tenant;
    let b: Tenant;
    let secrets: string[];
    let before: Record<string, string>;

    beforeAll(async () => {
      h = await startHarness(variant === "migrations" ? {} : { dump: variant });
      const unbound: ActionContext = {
        sql: h.deps.sql,
        schema: h.deps.schema,
        switches: h.deps.switches,
        caller: testCaller(),
        now: () => new Date(),
      };
      a = await seedTenant(h, unbound, "a.tenancy.example", "71");
      b = await seedTenant(h, unbound, "b.tenancy.example", "72");
      h.fake.setRegistrations([
        { reg_user: a.extension, realm: a.name },
        { reg_user: b.extension, realm: b.name },
      ]);
      h.fake.setQueue(`${b.ringGroupExtension}@${b.name}`, [{ cid_number: b.extension, state: "Waiting" }]);
      h.fake.setAgents([{ name: `${b.extension}@${b.name}` }]);
      const [extension] = await h.db.sql<
        { password: string }[]
      >`select password from v_extensions where extension_uuid = ${b.extensionUuid}::uuid`;
      // What must never show up in an answer to A: B's identifiers, its name and its extension's SIP password.
      secrets = [
        b.uuid,
        b.name,
        b.extensionUuid,
        b.destinationUuid,
        b.ringGroupUuid,
        b.callUuid,
        b.channelUuid,
        b.keyId,
        b.webhookUuid,
        extension!.password,
      ];
      before = await fingerprintOf(h, b);
    }, 120_000);

    afterAll(async () => {
      await h?.close();
    });

    function expectNothingOfB(answer: string, where: string) {
      for (const secret of secrets) {
        if (answer.toLowerCase().includes(secret.toLowerCase()))
          throw new Error(`${where} returned ${secret} of domain B: ${answer.slice(0, 400)}`);
      }
    }

    /** Runs every attack in process; a refusal by the input contract would prove nothing, so it fails. */
    async function attackInProcess(
      face: string,
      call: (action: AnyAction, input: Record<string, unknown>) => Promise<unknown>,
    ) {
      for (const action of actions as readonly AnyAction[]) {
        for (const input of attacks(action, a, b)) {
          const where = `${face} ${action.name} ${JSON.stringify(input)}`;
          try {
            expectNothingOfB(JSON.stringify(await call(action, input)), where);
          } catch (error) {
            const code = (error as { code?: string }).code;
            if (code === "BAD_REQUEST" && (error as { field?: string }).field)
              throw new Error(`${where}: input refused (${(error as Error).message})`);
            if (!code) throw error;
            expectNothingOfB(`${(error as Error).message}`, where);
          }
        }
      }
      expect(await fingerprintOf(h, b)).toEqual(before);
    }

    const boundToA = (): ActionContext => ({
      sql: h.deps.sql,
      schema: h.deps.schema,
      switches: h.deps.switches,
      caller: testCaller({ keyId: a.keyId, domainUuid: a.uuid }),
      now: () => new Date(),
    });

    test("every action, through runAction", async () => {
      const ctx = boundToA();
      await attackInProcess("runAction", (action, input) => runAction(action, ctx, input));
    }, 120_000);

    test("every action, through the in-process caller", async () => {
      const caller = createCaller(boundToA()) as unknown as Record<string, unknown>;
      await attackInProcess("createCaller", (action, input) => {
        const call = action.path
          .split(".")
          .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
        return (call as (input: unknown) => Promise<unknown>)(input);
      });
    }, 120_000);

    test("every action, on the legacy route", async () => {
      const authorization = basic(a.keyId, a.secret);
      for (const action of actions as readonly AnyAction[]) {
        for (const input of attacks(action, a, b)) {
          const response = await fetch(`${h.origin}${LEGACY_PATH}`, {
            method: "POST",
            headers: { authorization },
            body: JSON.stringify({ action: action.name, ...input }),
          });
          expectNothingOfB(await response.text(), `legacy ${action.name} ${JSON.stringify(input)}`);
        }
      }
      expect(await fingerprintOf(h, b)).toEqual(before);
    }, 120_000);

    test("every action, on tRPC", async () => {
      const authorization = `Bearer ${a.keyId}:${a.secret}`;
      for (const action of actions as readonly AnyAction[]) {
        for (const input of attacks(action, a, b)) {
          const url = `${h.origin}/trpc/${action.path}`;
          const response =
            action.kind === "query"
              ? await fetch(`${url}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { authorization } })
              : await fetch(url, {
                  method: "POST",
                  headers: { authorization, "content-type": "application/json" },
                  body: JSON.stringify(input),
                });
          const text = await response.text();
          expectNothingOfB(text, `tRPC ${action.path} ${JSON.stringify(input)}`);
          expect(response.status === 400 && text.includes("invalid parameter")).toBe(false);
        }
      }
      expect(await fingerprintOf(h, b)).toEqual(before);
    }, 120_000);

    test("the audit rows of A's attempts are filed under A, and A's admin lists only A's rows", async () => {
      await h.audit.flush();
      const rows = await h.db.sql<{ domain_uuid: string | null }[]>`
        select distinct domain_uuid::text as domain_uuid from switchboard_audit where key_uuid = ${a.keyId}::uuid`;
      expect(rows.map((r) => r.domain_uuid)).toEqual([a.uuid]);
      const response = await fetch(
        `${h.origin}/trpc/audit.list?input=${encodeURIComponent(JSON.stringify({ limit: 500 }))}`,
        {
          headers: { authorization: `Bearer ${a.keyId}:${a.secret}` },
        },
      );
      const listed = ((await response.json()) as { result: { data: { items: { domain_uuid: string | null }[] } } })
        .result.data.items;
      expect(listed.length).toBeGreaterThan(0);
      expect(new Set(listed.map((r) => r.domain_uuid))).toEqual(new Set([a.uuid]));
    });
  });
}
