import { type AuditSink, type Authenticator, type AuthenticatorOptions, createAuditSink, createAuthenticator } from "@switchboard/core";
import { loadSchemaInfo, migrate, seedDemo } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { createSwitchPool, type EslSwitchPool } from "@switchboard/esl";
import { type FakeSwitch, startFakeSwitch } from "@switchboard/esl/testing";
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import type { AppDeps, AppEnv } from "../env.ts";
import type { TrustedProxies } from "../middleware/client-address.ts";

export interface Harness {
  db: TestDatabase;
  fake: FakeSwitch;
  switches: EslSwitchPool;
  audit: AuditSink;
  authenticator: Authenticator;
  app: Hono<AppEnv>;
  deps: AppDeps;
  server: ReturnType<typeof Bun.serve>;
  /** `http://127.0.0.1:<port>` of the real server. */
  origin: string;
  logs: string[];
  close(): Promise<void>;
}

/**
 * A real PostgreSQL database with our migrations and the demo seed (the seed README's domain and key), a
 * fake FreeSWITCH on loopback, and the app served by Bun on a free port.
 */
export async function startHarness(options: { auth?: AuthenticatorOptions; maxBodyBytes?: number; trustedProxies?: TrustedProxies } = {}): Promise<Harness> {
  const db = await createTestDatabase({ prefix: "sb_api" });
  await migrate(db.sql, { fusionpbx: "create-if-empty", onFusionpbxCreated: (tx) => seedDemo(tx) });
  const fake = await startFakeSwitch();
  const switches = createSwitchPool({ switches: [{ host: fake.host, port: fake.port, password: fake.password, name: fake.name }] });
  const audit = createAuditSink(db.sql, { intervalMs: 50 });
  // keyRowTtlMs 0: tests change keys behind Switchboard's back with SQL and expect the very next request to see it.
  const authenticator = createAuthenticator(db.sql, { slowAfterFailures: 0, keyRowTtlMs: 0, ...options.auth });
  const logs: string[] = [];
  const deps: AppDeps = {
    sql: db.sql,
    schema: await loadSchemaInfo(db.sql),
    switches,
    audit,
    authenticator,
    log: (line) => logs.push(line),
    maxBodyBytes: options.maxBodyBytes,
    trustedProxies: options.trustedProxies,
  };
  const app = createApp(deps);
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: app.fetch });
  return {
    db,
    fake,
    switches,
    audit,
    authenticator,
    app,
    deps,
    server,
    origin: `http://127.0.0.1:${server.port}`,
    logs,
    async close() {
      await server.stop(true);
      await audit.flush().catch(() => {});
      authenticator.close();
      await switches.close();
      await fake.stop();
      await db.drop();
    },
  };
}

export const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
