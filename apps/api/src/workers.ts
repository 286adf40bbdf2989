import { availableParallelism } from "node:os";
import { createServer } from "node:net";

/**
 * `SWITCHBOARD_WORKERS=N` (default: the number of cores) runs N API processes on one port: each binds it
 * with SO_REUSEPORT (Bun's `reusePort`) and the kernel spreads connections between them. They share
 * nothing but PostgreSQL (failure counts, idempotency keys, key revocations and audit rows all live
 * there). The process started by the user supervises them: it starts the first worker (which creates or
 * migrates the database), then the others; forwards SIGTERM/SIGINT; restarts a worker that dies.
 */

const WORKER_INDEX = "SWITCHBOARD_WORKER_INDEX";
/** Set for a worker started again after an exit: it does not print the banner a second time. */
const RESTARTED = "SWITCHBOARD_WORKER_RESTARTED";
const MAX_WORKERS = 64;

export class WorkersSettingError extends Error {
  override name = "WorkersSettingError";
}

/** SWITCHBOARD_WORKERS, or the number of cores. */
export function workerCount(
  env: Record<string, string | undefined> = process.env,
  cores = availableParallelism(),
): number {
  const raw = env.SWITCHBOARD_WORKERS?.trim();
  if (!raw) return Math.max(1, Math.min(cores, MAX_WORKERS));
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > MAX_WORKERS) {
    throw new WorkersSettingError(
      `SWITCHBOARD_WORKERS must be an integer from 1 to ${MAX_WORKERS} (default: the number of cores), got '${raw}'`,
    );
  }
  return value;
}

/** This process's index when it is one of several workers, else null. */
export function workerIndex(env: Record<string, string | undefined> = process.env): number | null {
  const raw = env[WORKER_INDEX];
  return raw === undefined ? null : Number(raw);
}

/** Options for Bun.serve in this process: workers share the port. */
export function serveOptions(env: Record<string, string | undefined> = process.env): { reusePort: boolean } {
  return { reusePort: workerIndex(env) !== null };
}

/** Whether this worker prints the start-up banner (only the first does). */
export function printsBanner(env: Record<string, string | undefined> = process.env): boolean {
  return (workerIndex(env) ?? 0) === 0 && env[RESTARTED] === undefined;
}

/**
 * Whether this process waits out a database outage at start-up instead of failing: a worker started after
 * the first one listened (the database was fine then) or started again after an exit. The first start of
 * the first worker (or a lone process) still fails at once with its one-line error.
 */
export function waitsForDatabase(env: Record<string, string | undefined> = process.env): boolean {
  const index = workerIndex(env);
  return index !== null && (index > 0 || env[RESTARTED] !== undefined);
}

/** A worker tells its supervisor it listens; a process without a supervisor does nothing. */
export function announceListening(port: number): void {
  if (workerIndex() !== null && process.send) process.send({ listening: port });
  if (workerIndex() !== null) watchSupervisor();
}

/** A worker whose supervisor is gone (killed with SIGKILL) stops too, instead of serving on alone. */
function watchSupervisor(): void {
  const supervisor = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== supervisor) process.kill(process.pid, "SIGTERM");
  }, 1_000);
  timer.unref();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port")),
      );
    });
  });
}

/** How to run this same program again: the compiled binary takes only its own arguments. */
function selfCommand(): string[] {
  const compiled = Bun.main.startsWith("/$bunfs/") || Bun.main.startsWith("B:/~BUN/");
  return compiled
    ? [process.execPath, ...process.argv.slice(2)]
    : [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
}

interface Worker {
  index: number;
  proc: ReturnType<typeof Bun.spawn>;
  listening: Promise<void>;
}

/**
 * Runs `main` in this process when one worker is asked for (or this is a worker); otherwise supervises
 * `count` workers running this same program, and never returns.
 */
export async function runWorkers(
  main: () => Promise<void>,
  log: (line: string) => void = (line) => console.error(line),
): Promise<void> {
  let count: number;
  try {
    count = workerCount();
  } catch (error) {
    log(`switchboard: ${(error as Error).message}`);
    process.exit(1);
  }
  if (count === 1 || workerIndex() !== null) return main();

  // PORT=0 means any free port: one is chosen here, so that every worker binds the same.
  const port = Number(process.env.PORT ?? "3000") === 0 ? String(await freePort()) : (process.env.PORT ?? "3000");
  const workers = new Map<number, Worker>();
  let stopping = false;
  /** Set once every worker listened; before that, an exit fails the start instead of being restarted. */
  let serving = false;
  const restarts: number[] = [];

  const spawn = (index: number, restart = false): Worker => {
    let ready: () => void = () => {};
    const listening = new Promise<void>((resolve) => {
      ready = resolve;
    });
    const proc = Bun.spawn(selfCommand(), {
      env: {
        ...process.env,
        PORT: port,
        [WORKER_INDEX]: String(index),
        SWITCHBOARD_WORKERS: String(count),
        ...(restart ? { [RESTARTED]: "1" } : {}),
      },
      stdio: ["ignore", "inherit", "inherit"],
      ipc(message) {
        if (message && typeof message === "object" && "listening" in message) ready();
      },
    });
    const worker = { index, proc, listening };
    workers.set(index, worker);
    void proc.exited.then((code) => {
      if (workers.get(index) !== worker) return;
      workers.delete(index);
      if (stopping || !serving) return;
      // A worker that dies is started again, after a delay that doubles with each exit in the last minute
      // (1 s up to 30 s), so a database outage that fails its start-up is waited out. Only when no worker is
      // left serving and they keep failing does the supervisor give up (exit 1: a service manager restarts it).
      const how = proc.signalCode ? `was killed by ${proc.signalCode}` : `exited with code ${code}`;
      const now = Date.now();
      restarts.push(now);
      while (restarts.length > 0 && restarts[0]! < now - 60_000) restarts.shift();
      if (restarts.length > 5 && workers.size === 0) {
        log(
          `switchboard: worker ${index} ${how}, and no worker is serving after ${restarts.length} exits within a minute; stopping`,
        );
        void stop(1);
        return;
      }
      const delay = Math.min(30_000, 1_000 * 2 ** Math.min(restarts.length - 1, 5));
      log(`switchboard: worker ${index} ${how}; starting it again in ${delay / 1000} s`);
      setTimeout(() => {
        if (!stopping) spawn(index, true);
      }, delay);
    });
    return worker;
  };

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const running = [...workers.values()];
    for (const w of running) w.proc.kill("SIGTERM");
    await Promise.all(running.map((w) => w.proc.exited));
    process.exit(code);
  };
  process.on("SIGTERM", () => void stop(0));
  process.on("SIGINT", () => void stop(0));

  /** Resolves when every worker given listens; with the exit code of the first that exits before it does. */
  const startAll = async (group: Worker[]): Promise<number | null> =>
    Promise.race([Promise.all(group.map((w) => w.listening)).then(() => null), ...group.map((w) => w.proc.exited)]);

  // The first worker alone first: it creates or migrates the database and fails with one line if it cannot.
  let failed = await startAll([spawn(0)]);
  if (failed === null) failed = await startAll(Array.from({ length: count - 1 }, (_, i) => spawn(i + 1)));
  if (failed !== null) {
    await stop(failed === 0 ? 1 : failed);
    return;
  }
  serving = true;
  await new Promise(() => {});
}
