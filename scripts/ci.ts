// Runs lint, typecheck and every workspace's tests through turbo, then prints one closing line
// `N passed, N failed` that CI can read (bun's own summary is not one it knows).
import { readdirSync, readFileSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
const workspaces = ["apps", "packages"].flatMap((dir) =>
  readdirSync(join(root, dir)).map((name) => join(root, dir, name)),
);
for (const ws of workspaces) rmSync(join(ws, "test-results"), { recursive: true, force: true });

function run(cmd: string[]): number {
  const proc = Bun.spawnSync(cmd, { cwd: root, env, stdout: "inherit", stderr: "inherit", stdin: "ignore" });
  return proc.exitCode ?? 1;
}

const lintCode = run(["bunx", "biome", "lint", "--diagnostic-level=error", "."]);
const turboCode = run(["bunx", "turbo", "run", "typecheck", "test", "--continue", "--force", "--concurrency=2"]);

let passed = 0;
let failed = 0;
let skipped = 0;
for (const ws of workspaces) {
  const file = join(ws, "test-results", "junit.xml");
  if (!existsSync(file)) continue;
  const xml = readFileSync(file, "utf8");
  for (const m of xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const inner = m[2] ?? "";
    if (/<(failure|error)\b/.test(inner)) failed++;
    else if (/<skipped\b/.test(inner)) skipped++;
    else passed++;
  }
}
if (lintCode !== 0) console.error("lint failed");
if (turboCode !== 0) console.error("typecheck or tests failed");
if (passed + failed === 0) console.error("no test ran");
const failures = failed + (lintCode !== 0 || (turboCode !== 0 && failed === 0) ? 1 : 0);
console.log(`${passed} passed, ${failures} failed, ${skipped} skipped`);
process.exit(failures > 0 || passed === 0 ? 1 : 0);
