import { join, resolve } from "node:path";

/** The checkout's root (packages/db/src/../../..). */
export const repoRoot = resolve(import.meta.dir, "..", "..", "..");

/** Where the embedded database lives unless SWITCHBOARD_DATA_DIR says otherwise. */
export function defaultEmbeddedDataDir(env: Record<string, string | undefined> = process.env): string {
  const base = env.SWITCHBOARD_DATA_DIR;
  return base ? resolve(base, "pglite") : join(repoRoot, ".data", "pglite");
}
