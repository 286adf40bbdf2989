import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";

/** Whether a process with this pid exists (one owned by another user counts). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid recorded in a lock file, or null when there is none or its process is gone. */
export function lockHolder(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8").trim(), 10);
    return processAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}

/** Locks this process holds, released on exit and on a terminating signal. */
const held = new Set<() => void>();
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * On Ctrl-C (or SIGTERM/SIGHUP) the locks held are removed first. When nothing else in the process handles
 * the signal, it is raised again with its default action, so the process still ends as it would have.
 */
function onSignal(signal: NodeJS.Signals): void {
  for (const release of [...held]) release();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function track(release: () => void): void {
  if (held.size === 0) {
    process.on("exit", releaseAll);
    for (const signal of SIGNALS) process.on(signal, onSignal);
  }
  held.add(release);
}

function untrack(release: () => void): void {
  held.delete(release);
  if (held.size === 0) {
    process.off("exit", releaseAll);
    for (const signal of SIGNALS) process.off(signal, onSignal);
  }
}

function releaseAll(): void {
  for (const release of [...held]) release();
}

/**
 * Creates `path` exclusively with our pid in it. A lock left by a dead process (or older than
 * `staleAfterMs`) is taken over. Returns a release function, or null if a live process holds it.
 */
export function tryLock(path: string, staleAfterMs = 10 * 60_000): (() => void) | null {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        untrack(release);
        rmSync(path, { force: true });
      };
      track(release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      let age = 0;
      try {
        age = Date.now() - statSync(path).mtimeMs;
      } catch {
        continue; // removed meanwhile: try again
      }
      if (lockHolder(path) !== null && age < staleAfterMs) return null;
      rmSync(path, { force: true });
    }
  }
  return null;
}

/** Waits (polling) until the lock is ours; gives up after `timeoutMs`. */
export async function acquireLock(path: string, timeoutMs: number): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const release = tryLock(path);
    if (release) return release;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for lock ${path} (held by process ${lockHolder(path)})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
