/**
 * The repository stands alone: a clone holds everything its code, tests and comments refer to, and nothing
 * that belongs to one machine.
 */
import { expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

const root = join(import.meta.dir, "..", "..", "..", "..");

function git(...args: string[]): string {
  const run = Bun.spawnSync(["git", ...args], { cwd: root, stdout: "pipe", stderr: "pipe" });
  if (run.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr.toString()}`);
  return run.stdout.toString();
}

/** Tracked files as `mode path`, plus files added but not yet committed. */
const entries = git("ls-files", "-s")
  .split("\n")
  .filter(Boolean)
  .map((line) => {
    const [mode, , , ...rest] = line.split(/\s+/);
    return { mode: mode!, path: rest.join(" ") };
  });
const textFiles = entries
  .map((e) => e.path)
  .filter((p) => /\.(ts|md|json|sh|conf|service|toml|ya?ml)$|^\.ci\//.test(p) && existsSync(join(root, p)));

test("no symbolic link is committed", () => {
  expect(entries.filter((e) => e.mode === "120000").map((e) => e.path)).toEqual([]);
});

test("no CPU or heap profile is committed", () => {
  expect(entries.map((e) => e.path).filter((p) => /\.(cpuprofile|heapsnapshot)$/.test(p))).toEqual([]);
});

test("no file names a path of one machine or a folder beside the checkout", () => {
  // An absolute path under a home or work folder, or the reference folder beside a checkout. Built from parts
  // so that this file does not match itself.
  const pattern = new RegExp(["(?<![\\w.])/(?:work|root|home)/[\\w.-]", "\\.\\./shared\\b"].join("|"), "g");
  const found: string[] = [];
  for (const path of textFiles) {
    const text = readFileSync(join(root, path), "utf8");
    for (const [match] of text.matchAll(pattern)) found.push(`${path}: ${match}`);
  }
  expect(found).toEqual([]);
});

test("every document a file cites is in the repository", () => {
  const documents = new Set(entries.map((e) => basename(e.path)).filter((name) => name.endsWith(".md")));
  const missing = new Set<string>();
  for (const path of textFiles) {
    const text = readFileSync(join(root, path), "utf8");
    for (const [name] of text.matchAll(/\b[\w.-]+\.md\b/g)) if (!documents.has(name)) missing.add(`${path}: ${name}`);
  }
  expect([...missing]).toEqual([]);
});

test("every `docs/…` a file cites exists", () => {
  const missing = new Set<string>();
  for (const path of textFiles) {
    const text = readFileSync(join(root, path), "utf8");
    for (const [cited] of text.matchAll(/\bdocs\/[\w-]+\.md\b/g)) {
      if (!existsSync(join(root, cited))) missing.add(`${path}: ${cited}`);
    }
  }
  expect([...missing]).toEqual([]);
});

test("every workspace's exports name files that exist", () => {
  const manifests = entries.map((e) => e.path).filter((p) => /^(apps|packages)\/[^/]+\/package\.json$/.test(p));
  expect(manifests.length).toBeGreaterThan(3);
  const missing: string[] = [];
  for (const manifest of manifests) {
    const { exports } = JSON.parse(readFileSync(join(root, manifest), "utf8")) as { exports?: Record<string, string> };
    for (const target of Object.values(exports ?? {})) {
      if (!existsSync(join(root, manifest, "..", target))) missing.push(`${manifest}: ${target}`);
    }
  }
  expect(missing).toEqual([]);
});
