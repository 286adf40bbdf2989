import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import dbPackage from "../package.json" with { type: "json" };
import { DatabaseConnectError, oneLine } from "./errors.ts";
import { acquireLock, lockHolder, tryLock } from "./file-lock.ts";
import { sourceDir } from "./paths.ts";
import { extractTarGz } from "./untar.ts";

export const PGLITE_VERSION = dbPackage.dependencies["@electric-sql/pglite"];

export interface EmbeddedOptions {
  dataDir: string;
  /** pglite-socket's connection limit across all clients (default 16); each pool must stay well below it. */
  maxConnections?: number;
  /** How long to wait for another process that is starting the same database (default 60 s). */
  attachTimeoutMs?: number;
  /** Where the initdb snapshot is cached (default packages/db/node_modules/.cache/switchboard-pglite). */
  cacheDir?: string;
  log?: (line: string) => void;
}

export interface EmbeddedDatabase {
  /** postgres://postgres@127.0.0.1:<port>/postgres, served by pglite-socket. */
  url: string;
  port: number;
  dataDir: string;
  maxConnections: number;
  /** True when this start created the data directory. */
  created: boolean;
  /**
   * True when this process runs the server; false when another process already had the data directory
   * open and this one attached to its server (stop() then leaves the server running).
   */
  owner: boolean;
  stop(): Promise<void>;
}

interface ServerRecord {
  pid: number;
  port: number;
}

function readServerRecord(path: string): ServerRecord | null {
  try {
    const record = JSON.parse(readFileSync(path, "utf8")) as Partial<ServerRecord>;
    return Number.isInteger(record.pid) && Number.isInteger(record.port) ? (record as ServerRecord) : null;
  } catch {
    return null;
  }
}

export const defaultSnapshotCacheDir = resolve(sourceDir, "..", "node_modules", ".cache", "switchboard-pglite");

/**
 * A gzip tarball of a freshly initdb'd PGlite data directory, made once per pglite version and shared
 * by every process (initdb in WASM takes seconds, and many times longer when processes run it in
 * parallel). Only one process builds it; the others wait on the lock and reuse it.
 */
export async function initdbSnapshot(
  cacheDir = defaultSnapshotCacheDir,
  log: (line: string) => void = () => {},
): Promise<Uint8Array> {
  const file = join(cacheDir, `pglite-${PGLITE_VERSION}-initdb.tar.gz`);
  if (existsSync(file)) return readFileSync(file);
  try {
    mkdirSync(cacheDir, { recursive: true });
  } catch {
    log(`cannot create ${cacheDir}; running initdb without a cached snapshot`);
    return freshSnapshot();
  }
  const release = await acquireLock(`${file}.lock`, 180_000);
  try {
    if (existsSync(file)) return readFileSync(file);
    log(`creating the PGlite ${PGLITE_VERSION} initdb snapshot (once per version)`);
    const snapshot = await freshSnapshot();
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, snapshot);
    renameSync(tmp, file);
    return snapshot;
  } finally {
    release();
  }
}

async function freshSnapshot(): Promise<Uint8Array> {
  const pg = await PGlite.create();
  try {
    return new Uint8Array(await (await pg.dumpDataDir("gzip")).arrayBuffer());
  } finally {
    await pg.close();
  }
}

/** Builds the data directory beside its final place and renames it in, so a crash never leaves half of one. */
async function createDataDir(dataDir: string, cacheDir: string | undefined, log: (line: string) => void): Promise<void> {
  const snapshot = await initdbSnapshot(cacheDir, log);
  const staging = `${dataDir}.creating-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    extractTarGz(snapshot, staging);
    renameSync(staging, dataDir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Starts the embedded database: PGlite persisted in `dataDir`, served by pglite-socket on 127.0.0.1 at
 * a free port so the ordinary postgres client talks to it. One process owns a data directory (its pid
 * is in `<dataDir>.lock`); a second process attaches to the owner's server instead.
 */
export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const log = options.log ?? (() => {});
  const maxConnections = options.maxConnections ?? 16;
  mkdirSync(dirname(dataDir), { recursive: true });
  const lockPath = `${dataDir}.lock`;
  const serverPath = `${dataDir}.server`;
  const deadline = Date.now() + (options.attachTimeoutMs ?? 60_000);

  // One process owns the data directory and serves it; any other process (the Slack app beside the API)
  // attaches to that server, published in `<dataDir>.server` once it listens.
  let release = tryLock(lockPath, Number.POSITIVE_INFINITY);
  while (!release) {
    const holder = lockHolder(lockPath);
    const record = readServerRecord(serverPath);
    if (holder !== null && record?.pid === holder) {
      log(`attaching to the embedded database served by process ${holder} on 127.0.0.1:${record.port}`);
      return {
        url: `postgres://postgres@127.0.0.1:${record.port}/postgres`,
        port: record.port,
        dataDir,
        maxConnections,
        created: false,
        owner: false,
        async stop() {},
      };
    }
    if (Date.now() > deadline) {
      throw new DatabaseConnectError(
        `the embedded database at ${dataDir} is held by process ${holder}, which is not serving it; stop that process or set SWITCHBOARD_DATA_DIR to another directory`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    release = tryLock(lockPath, Number.POSITIVE_INFINITY);
  }
  const releaseLock = release;

  let db: PGlite | null = null;
  let server: PGLiteSocketServer | null = null;
  try {
    const created = !existsSync(join(dataDir, "PG_VERSION"));
    if (created) {
      if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
        throw new DatabaseConnectError(`${dataDir} exists but holds no PGlite database; remove it or set SWITCHBOARD_DATA_DIR`);
      }
      rmSync(dataDir, { recursive: true, force: true });
      log(`creating the embedded database at ${dataDir}`);
      await createDataDir(dataDir, options.cacheDir, log);
    }
    db = await PGlite.create({ dataDir });
    server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections });
    await server.start();
    const port = Number(server.getServerConn().split(":").pop());
    writeFileSync(serverPath, JSON.stringify({ pid: process.pid, port } satisfies ServerRecord));
    const running = { db, server };
    let stopped = false;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      dataDir,
      maxConnections,
      created,
      owner: true,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          rmSync(serverPath, { force: true });
          await running.server.stop();
          await running.db.close();
        } finally {
          releaseLock();
        }
      },
    };
  } catch (err) {
    await server?.stop().catch(() => {});
    await db?.close().catch(() => {});
    releaseLock();
    if (err instanceof DatabaseConnectError) throw err;
    throw new DatabaseConnectError(
      `cannot start the embedded database at ${dataDir}: ${oneLine(err instanceof Error ? err.message : String(err))}`,
      { cause: err },
    );
  }
}
