import type { AuditSink, Authenticator, AuthenticatorOptions } from "@switchboard/core";
import { createAuditSink } from "@switchboard/core";
import { loadSchemaInfo, migrate, seedDemo } from "@switchboard/db";
import { createTestDatabase, type SchemaKind, type TestDatabase } from "@switchboard/db/testing";
import { createSwitchPool, type EslSwitchPool } from "@switchboard/esl";
import { type FakeSwitch, startFakeSwitch } from "@switchboard/esl/testing";
import { assembleRuntime, createMemoryLogger, type Runtime } from "@switchboard/runtime";
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
  runtime: Runtime;
  app: Hono<AppEnv>;
  deps: AppDeps;
  server: ReturnType<typeof Bun.serve>;
  /** `http://127.0.0.1:<port>` of the real server. */
  origin: string;
  /** Every log line the app wrote (JSON text). */
  logs: string[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  auth?: AuthenticatorOptions;
  maxBodyBytes?: number;
  maxBatchSize?: number;
  publicUrl?: string;
  trustedProxies?: TrustedProxies;
  /** A real FusionPBX schema dump instead of our migrations' schema. */
  dump?: SchemaKind;
}

/**
 * A real PostgreSQL database with our migrations and the demo seed (the seed README's domain and key), a
 * fake FreeSWITCH on loopback, and the app served by Bun on a free port, over the same runtime assembly
 * the server uses. With `dump`, a real FusionPBX schema instead (no demo seed: the test adds its own domains).
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const db = await createTestDatabase({ prefix: "sb_api", ...(options.dump ? { dump: options.dump } : {}) });
  await migrate(db.sql, { fusionpbx: "create-if-empty", onFusionpbxCreated: (tx) => seedDemo(tx) });
  const fake = await startFakeSwitch();
  const switches = createSwitchPool({
    switches: [{ host: fake.host, port: fake.port, password: fake.password, name: fake.name }],
  });
  const { logger, lines } = createMemoryLogger("api");
  const runtime = assembleRuntime({
    sql: db.sql,
    schema: await loadSchemaInfo(db.sql),
    switches,
    logger,
    audit: createAuditSink(db.sql, { intervalMs: 50 }),
    // keyRowTtlMs 0: tests change keys behind Switchboard's back with SQL and expect the very next request to see it.
    authentication: { slowAfterFailures: 0, keyRowTtlMs: 0, ...options.auth },
    onClose: [() => switches.close(), () => fake.stop()],
  });
  const deps: AppDeps = {
    ...runtime,
    maxBodyBytes: options.maxBodyBytes,
    maxBatchSize: options.maxBatchSize,
    publicUrl: options.publicUrl,
    trustedProxies: options.trustedProxies,
  };
  const app = createApp(deps);
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: app.fetch });
  return {
    db,
    fake,
    switches,
    audit: runtime.audit,
    authenticator: runtime.authenticator,
    runtime,
    app,
    deps,
    server,
    origin: `http://127.0.0.1:${server.port}`,
    logs: lines,
    async close() {
      await server.stop(true);
      await runtime.close();
      await db.drop();
    },
  };
}

export const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
