import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { DEMO_DOMAIN_UUID, DEMO_KEY_ID, DEMO_KEY_SECRET, migrate, seedDemo } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { type FakeSwitch, startFakeSwitch } from "@switchboard/esl/testing";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { AppRouter } from "./index.ts";

const node = Bun.which("node");
const tsx = join(import.meta.dir, "..", "node_modules", ".bin", "tsx");

let db: TestDatabase;
let fake: FakeSwitch;
let child: ReturnType<typeof Bun.spawn> | null = null;
let origin = "";

beforeAll(async () => {
  if (!node) return;
  db = await createTestDatabase({ prefix: "sb_api_node" });
  await migrate(db.sql, { fusionpbx: "create-if-empty", onFusionpbxCreated: (tx) => seedDemo(tx) });
  fake = await startFakeSwitch();
  child = Bun.spawn([tsx, "src/node-server.ts"], {
    cwd: join(import.meta.dir, ".."),
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      PORT: "0",
      HOST: "127.0.0.1",
      ESL_HOST: fake.host,
      ESL_PORT: String(fake.port),
      ESL_PASSWORD: fake.password,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const reader = (child.stdout as ReadableStream<Uint8Array>).getReader();
  let text = "";
  while (!/listening on (http:\/\/\S+)/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`node server exited: ${await new Response(child.stderr as ReadableStream).text()}`);
    text += new TextDecoder().decode(value);
  }
  origin = /listening on (http:\/\/\S+)/.exec(text)![1]!;
  reader.releaseLock();
}, 60_000);

afterAll(async () => {
  child?.kill();
  await child?.exited;
  await fake?.stop();
  await db?.drop();
}, 30_000);

test.skipIf(!node)(
  "the same app runs on Node through @hono/node-server: legacy route and a typed tRPC client",
  async () => {
    const legacy = await fetch(`${origin}/app/rest_api/rest.php`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${btoa(`${DEMO_KEY_ID}:${DEMO_KEY_SECRET}`)}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: '{"action": "domain-details", "domain_name": "fusionpbx.example.net"}',
    });
    expect(legacy.status).toBe(200);
    expect(((await legacy.json()) as { domain_uuid: string }).domain_uuid).toBe(DEMO_DOMAIN_UUID);
    expect(legacy.headers.get("x-request-id")).toBeTruthy();

    const client = createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: `${origin}/trpc`,
          headers: { authorization: `Bearer ${DEMO_KEY_ID}:${DEMO_KEY_SECRET}` },
        }),
      ],
    });
    const domain = await client.domains.details.query({ domain_uuid: DEMO_DOMAIN_UUID });
    expect(domain.domain_name).toBe("fusionpbx.example.net");
    const health = (await (await fetch(`${origin}/health`)).json()) as { status: string };
    expect(health.status).toBe("ok");
  },
);

if (!node) console.log("node-server.test: `node` is not on PATH, the Node entry is not exercised");
