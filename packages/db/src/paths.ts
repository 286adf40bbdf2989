import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** This source directory, found without Bun-only APIs so the package also runs on Node. */
export const sourceDir = dirname(fileURLToPath(import.meta.url));

/** The checkout's root (packages/db/src/../../..). */
export const repoRoot = resolve(sourceDir, "..", "..", "..");

/** Where the embedded database lives unless SWITCHBOARD_DATA_DIR says otherwise. */
export function defaultEmbeddedDataDir(env: Record<string, string | undefined> = process.env): string {
  const base = env.SWITCHBOARD_DATA_DIR;
  return base ? resolve(base, "postgres") : join(repoRoot, ".data", "postgres");
}
