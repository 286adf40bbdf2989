import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acquireLock, lockHolder, tryLock } from "./file-lock.ts";

const dir = mkdtempSync(join(tmpdir(), "sb-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a held lock is refused until released", () => {
  const path = join(dir, "a.lock");
  const release = tryLock(path);
  expect(release).not.toBeNull();
  expect(readFileSync(path, "utf8")).toBe(String(process.pid));
  expect(lockHolder(path)).toBe(process.pid);
  expect(tryLock(path)).toBeNull();
  release!();
  expect(existsSync(path)).toBe(false);
  const again = tryLock(path);
  expect(again).not.toBeNull();
  again!();
});

test("a lock left by a process that is gone is taken over", async () => {
  const path = join(dir, "b.lock");
  const child = Bun.spawn(["true"]);
  await child.exited;
  writeFileSync(path, String(child.pid));
  expect(lockHolder(path)).toBeNull();
  const release = tryLock(path);
  expect(release).not.toBeNull();
  release!();
});

test("acquireLock waits for the holder to let go", async () => {
  const path = join(dir, "c.lock");
  const release = tryLock(path)!;
  // acquireLock tries once before its first await, so by now it has found the lock held and is polling.
  const waiting = acquireLock(path, 10_000);
  expect(Bun.peek.status(waiting)).toBe("pending");
  expect(lockHolder(path)).toBe(process.pid);
  release();
  const mine = await waiting;
  expect(readFileSync(path, "utf8")).toBe(String(process.pid));
  expect(tryLock(path)).toBeNull();
  mine();
  expect(existsSync(path)).toBe(false);
});

test("acquireLock gives up after its timeout, naming the holder", async () => {
  const path = join(dir, "d.lock");
  const release = tryLock(path)!;
  await expect(acquireLock(path, 100)).rejects.toThrow(
    `timed out waiting for lock ${path} (held by process ${process.pid})`,
  );
  release();
});

test("Ctrl-C while a lock is held removes the lock file and still ends the process", async () => {
  const path = join(dir, "e.lock");
  const child = Bun.spawn(
    [
      "bun",
      "-e",
      `const { tryLock } = await import(${JSON.stringify(join(import.meta.dir, "file-lock.ts"))}); tryLock(${JSON.stringify(path)}); console.log("held"); setInterval(() => {}, 1000);`,
    ],
    { stdout: "pipe", stderr: "inherit" },
  );
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  expect(new TextDecoder().decode(value)).toBe("held\n");
  expect(existsSync(path)).toBe(true);
  child.kill("SIGINT");
  await child.exited;
  expect(child.signalCode).toBe("SIGINT");
  expect(existsSync(path)).toBe(false);
});

test("with the process's own SIGTERM handler, the lock goes and the handler decides", async () => {
  const path = join(dir, "f.lock");
  const child = Bun.spawn(
    [
      "bun",
      "-e",
      `const { tryLock } = await import(${JSON.stringify(join(import.meta.dir, "file-lock.ts"))}); process.on("SIGTERM", () => { console.log("handled"); process.exit(3); }); tryLock(${JSON.stringify(path)}); console.log("held"); setInterval(() => {}, 1000);`,
    ],
    { stdout: "pipe", stderr: "inherit" },
  );
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  expect(new TextDecoder().decode(value)).toBe("held\n");
  child.kill("SIGTERM");
  expect(await child.exited).toBe(3);
  const { value: rest } = await reader.read();
  expect(new TextDecoder().decode(rest)).toBe("handled\n");
  expect(existsSync(path)).toBe(false);
});
