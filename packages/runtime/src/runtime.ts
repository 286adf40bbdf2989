import {
  type ActionCaller,
  type ActionContext,
  type AuditSink,
  type AuditSinkOptions,
  type Authenticator,
  type AuthenticatorOptions,
  type Caller,
  type CallReconcilerOptions,
  createActionContext,
  createAuditSink,
  createAuthenticator,
  createCaller,
  createRefusalSink,
  type EventIngest,
  listenForKeyChanges,
  type RefusalSink,
  startCallReconciler,
  startEventIngest,
} from "@switchboard/core";
import { connectDatabase, type Database, type SchemaInfo, type Sql } from "@switchboard/db";
import {
  createSwitchPool,
  resolveSwitchConfig,
  type SwitchEndpoint,
  type SwitchPool,
  SwitchUnavailableError,
} from "@switchboard/esl";
import { type FakeSwitch, startFakeSwitch } from "@switchboard/esl/testing";
import type { Logger } from "./logger.ts";

type Env = Record<string, string | undefined>;

/** What every Switchboard process runs on, built once from its settings by `startRuntime`. */
export interface Runtime {
  sql: Sql;
  schema: SchemaInfo;
  switches: SwitchPool;
  /** Buffered audit writer; `failedWrites()`/`dropped()` where the sink counts them. */
  audit: AuditSink;
  /** Refused requests, counted per minute (switchboard_refusals); the API records them. */
  refusals: RefusalSink;
  /** Key verification with its failure limiter (used by the API; the others leave it idle). */
  authenticator: Authenticator;
  logger: Logger;
  now: () => Date;
  /** The action context for one request. */
  context(caller: Caller): ActionContext;
  /** The typed in-process caller for one request; `{ audit: false }` writes no audit row (status polls). */
  caller(caller: Caller, options?: { audit?: boolean }): ActionCaller;
  /** Flushes the audit log and closes everything this runtime opened. */
  close(): Promise<void>;
}

export interface RuntimeParts {
  sql: Sql;
  schema: SchemaInfo;
  switches: SwitchPool;
  logger: Logger;
  audit?: AuditSink;
  refusals?: RefusalSink;
  authentication?: AuthenticatorOptions;
  now?: () => Date;
  /** Settle calls of unknown outcome when their switch answers again (calls/outcome-reconciler.ts). Default on. */
  reconcileCalls?: false | CallReconcilerOptions;
  /** Closed after the runtime's own parts, in this order. */
  onClose?: Array<() => Promise<void>>;
}

/** Assembles a runtime over parts already open (a test database, a fake switch). */
export function assembleRuntime(parts: RuntimeParts): Runtime {
  const { logger } = parts;
  const audit =
    parts.audit ??
    createAuditSink(parts.sql, {
      onError: (error) =>
        logger.error({ error: error instanceof Error ? error.message : String(error) }, "audit write failed"),
    });
  const refusals =
    parts.refusals ??
    createRefusalSink(parts.sql, {
      onError: (error) =>
        logger.error({ error: error instanceof Error ? error.message : String(error) }, "refusal count write failed"),
    });
  const authenticator = createAuthenticator(parts.sql, parts.authentication);
  const now = parts.now ?? (() => new Date());
  const services = { sql: parts.sql, schema: parts.schema, switches: parts.switches, now };
  const stopReconciler =
    parts.reconcileCalls !== false && parts.switches.switches.length > 0
      ? startCallReconciler(services, {
          onError: (error) =>
            logger.warn(
              { error: error instanceof Error ? error.message : String(error) },
              "call reconciliation failed",
            ),
          ...parts.reconcileCalls,
        })
      : () => {};
  let closed: Promise<void> | null = null;
  return {
    ...services,
    audit,
    refusals,
    authenticator,
    logger,
    context: (caller) => createActionContext(services, caller),
    caller: (caller, options = {}) =>
      createCaller(createActionContext(services, caller), options.audit === false ? {} : { audit }),
    close() {
      closed ??= (async () => {
        stopReconciler();
        await audit.flush().catch(() => {});
        await refusals.flush().catch(() => {});
        authenticator.close();
        for (const step of parts.onClose ?? []) await step().catch(() => {});
      })();
      return closed;
    },
  };
}

export interface StartOptions {
  /** The environment packages/db and packages/esl resolve the database and the switches from. */
  env?: Env;
  logger: Logger;
  /** False for processes that never talk to FreeSWITCH (the keys command). Default true. */
  switches?: boolean;
  authentication?: AuthenticatorOptions;
  /** Listen for key revocations made by other processes (the API). Default false. */
  listenForKeyChanges?: boolean;
  audit?: AuditSinkOptions;
  /**
   * Ingest the switches' PBX events into the event log (docs/events.md). Every process that asks competes
   * for each switch's lock: one ingests, the others stand by and take over when it stops. Default false.
   */
  events?: boolean;
}

export interface StartedRuntime extends Runtime {
  database: Database;
  /** The fake FreeSWITCH the embedded demo answers calls with, when there is no real one. */
  demoSwitch: FakeSwitch | null;
  /** The event ingest, when `events` was asked for and there are switches. */
  events: EventIngest | null;
}

const hasEslSettings = (env: Env) => Object.keys(env).some((k) => k.startsWith("ESL_") && env[k]);

/** A switch pool with no switch (the keys command): actions that need one answer "FreeSWITCH unavailable". */
export const NO_SWITCHES: SwitchPool = {
  switches: [],
  forCalls() {
    throw new SwitchUnavailableError("none", "this process has no FreeSWITCH");
  },
  broadcast: async () => [],
  broadcastEvent: async () => [],
  health: async () => [],
  close: async () => {},
};

/**
 * The one start-up of every process: the database (migrated, schema read), the switches (a fake one on
 * loopback for the embedded demo), the audit sink and the authenticator. Throws one-line errors.
 */
export async function startRuntime(options: StartOptions): Promise<StartedRuntime> {
  const env = options.env ?? process.env;
  const { logger } = options;
  const database = await connectDatabase({ env, log: (line) => logger.info(line) });
  const onClose: Array<() => Promise<void>> = [];
  try {
    let demoSwitch: FakeSwitch | null = null;
    let switches: SwitchPool = NO_SWITCHES;
    let endpoints: Array<SwitchEndpoint & { name?: string }> = [];
    if (options.switches === false) {
      // nothing to connect
    } else if (database.embedded && !hasEslSettings(env)) {
      // The demo has no FreeSWITCH: a fake one on loopback answers originate so every action works.
      demoSwitch = await startFakeSwitch({ host: "127.0.0.1" });
      endpoints = [
        { host: demoSwitch.host, port: demoSwitch.port, password: demoSwitch.password, name: "demo-switch" },
      ];
      switches = createSwitchPool({ switches: endpoints });
    } else {
      const config = await resolveSwitchConfig({ env, sql: database.sql });
      for (const warning of config.warnings) logger.warn(`switch settings: ${warning}`);
      endpoints = [...config.switches];
      switches = createSwitchPool({ switches: config.switches });
    }
    let events: EventIngest | null = null;
    if (options.events && endpoints.length > 0) {
      const ingest = startEventIngest({
        sql: database.sql,
        switches: endpoints,
        logger: {
          info: (message, fields) => logger.info(fields ?? {}, message),
          warn: (message, fields) => logger.warn(fields ?? {}, message),
        },
      });
      events = ingest;
      onClose.push(() => ingest.stop());
    }
    if (options.listenForKeyChanges) onClose.push(await listenForKeyChanges(database.sql));
    const pool = switches;
    onClose.push(() => pool.close());
    const fake = demoSwitch;
    if (fake) onClose.push(() => fake.stop());
    onClose.push(() => database.close());
    const audit = createAuditSink(database.sql, {
      ...options.audit,
      onError: (error) =>
        logger.error({ error: error instanceof Error ? error.message : String(error) }, "audit write failed"),
    });
    const runtime = assembleRuntime({
      sql: database.sql,
      schema: database.schema,
      switches,
      logger,
      audit,
      authentication: options.authentication,
      onClose,
    });
    return { ...runtime, database, demoSwitch, events };
  } catch (error) {
    for (const step of onClose) await step().catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }
}
