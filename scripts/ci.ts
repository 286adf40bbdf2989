// Runs lint, typecheck and every workspace's tests through turbo, then prints one closing line
// `N passed, N failed` that CI can read (bun's own summary is not one it knows). A test may skip only when
// an external service it names is missing; under CI=true every skip counts as a failure.
import { readdirSync, readFileSync, existsSync, rmSync } from "node:fs";
import { join, relative } from "node:path";

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

// The formatter covers TypeScript and JavaScript (biome.json); an unformatted file fails the run like a lint error.
// The bench is no workspace, so turbo does not typecheck it: done here, so a bench mode cannot rot unnoticed.
const lintCode =
  run(["bunx", "biome", "lint", "--diagnostic-level=error", "."]) ||
  run(["bunx", "biome", "format", "."]) ||
  run(["bunx", "tsc", "--noEmit", "-p", "bench"]);
const turboCode = run(["bunx", "turbo", "run", "typecheck", "test", "--continue", "--force", "--concurrency=2"]);

const strict = process.env.CI === "true";
const xmlText = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

let passed = 0;
let failed = 0;
let skipped = 0;
const skips: string[] = [];
for (const ws of workspaces) {
  const dir = join(ws, "test-results");
  if (!existsSync(dir)) continue;
  const xml = readdirSync(dir)
    .filter((name) => /^junit.*\.xml$/.test(name))
    .map((name) => readFileSync(join(dir, name), "utf8"))
    .join("\n");
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const inner = m[3] ?? "";
    if (/<(failure|error)\b/.test(inner)) failed++;
    else if (/<skipped\b/.test(inner)) {
      skipped++;
      const attr = (key: string) => xmlText(new RegExp(`\\b${key}="([^"]*)"`).exec(m[1]!)?.[1] ?? "");
      skips.push(`${relative(root, join(ws, attr("file")))}: ${attr("name")}`);
    } else passed++;
  }
}
if (skips.length > 0) {
  console.error(`${skips.length} skipped test(s)${strict ? ", each a failure under CI=true" : ""}:`);
  for (const s of skips) console.error(`  skipped: ${s}`);
}
const skipFailures = strict ? skips.length : 0;
if (lintCode !== 0) console.error("lint or format check failed");
if (turboCode !== 0) console.error("typecheck or tests failed");
if (passed + failed === 0) console.error("no test ran");
const failures = failed + skipFailures + (lintCode !== 0 || (turboCode !== 0 && failed === 0) ? 1 : 0);
console.log(`${passed} passed, ${failures} failed, ${skipped} skipped`);
process.exit(failures > 0 || passed === 0 ? 1 : 0);
