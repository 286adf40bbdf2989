import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Harness, startHarness } from "@switchboard/api/testing";
import { DEMO_DOMAIN_NAME, DEMO_KEY_ID, DEMO_KEY_SECRET } from "@switchboard/db";
import { packClient } from "../scripts/pack.ts";
import { foreignReferences } from "../scripts/self-contained.ts";

const TRPC_VERSION = "11.25.2";
const TYPESCRIPT_VERSION = "5.9.3";

function run(cmd: string[], cwd: string, env: Record<string, string> = {}) {
  const proc = Bun.spawnSync(cmd, {
    cwd,
    env: { ...process.env, ...env },
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  return { code: proc.exitCode, stdout: proc.stdout.toString(), stderr: proc.stderr.toString() };
}

/** The packed tarball installed with plain npm into a temporary project, as a user outside this repo does. */
describe("the packed @switchboard/client, installed from its tarball with npm", () => {
  let tarball: string;
  let project: string;
  let h: Harness;

  beforeAll(async () => {
    tarball = await packClient();
    project = mkdtempSync(join(tmpdir(), "sb-client-user-"));
    cpSync(join(import.meta.dir, "..", "user-project"), project, { recursive: true });
    const install = run(
      [
        "npm",
        "install",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        tarball,
        `@trpc/client@${TRPC_VERSION}`,
        `@trpc/server@${TRPC_VERSION}`,
        `typescript@${TYPESCRIPT_VERSION}`,
      ],
      project,
    );
    if (install.code !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
    h = await startHarness();
  }, 300_000);

  afterAll(async () => {
    await h?.close();
    if (project) rmSync(project, { recursive: true, force: true });
  });

  test("the tarball is at dist/switchboard-client-<version>.tgz and holds JavaScript and one declaration file", () => {
    const version = (
      JSON.parse(readFileSync(join(import.meta.dir, "..", "package.json"), "utf8")) as { version: string }
    ).version;
    expect(tarball).toEndWith(join("dist", `switchboard-client-${version}.tgz`));
    const listed = run(["tar", "-tzf", tarball], project).stdout.trim().split("\n").sort();
    expect(listed).toEqual(["package/README.md", "package/index.d.ts", "package/index.js", "package/package.json"]);
  });

  test("the installed declarations name nothing but the tRPC peers: no server sources, zod, Bun or .ts imports", () => {
    const installed = join(project, "node_modules", "@switchboard", "client");
    const declarations = readFileSync(join(installed, "index.d.ts"), "utf8");
    expect(foreignReferences(declarations)).toEqual([]);
    expect(declarations).not.toMatch(/\.ts["']/);
    expect(declarations).toContain("type AppRouter = TRPCBuiltRouter<");
    expect(declarations).toMatch(/export type \{ AppRouter,/);
    // Installed as a copy, not a link into this repository.
    expect(run(["test", "-L", installed], project).code).not.toBe(0);
  });

  test("a sample type-checks, and each @ts-expect-error line (wrong type, missing field, bad enum, unknown procedure, text for an integer) is an error", () => {
    const tsc = run(["npx", "--no-install", "tsc", "-p", "."], project);
    expect(`${tsc.stdout}${tsc.stderr}`).toBe("");
    expect(tsc.code).toBe(0);
    // The directives are only proven if removing one makes tsc fail: check that each one is needed.
    const sample = readFileSync(join(project, "sample.ts"), "utf8");
    const directives = sample.split("\n").filter((line) => /^\s*\/\/ @ts-expect-error/.test(line)).length;
    expect(directives).toBe(8);
    const stripped = sample.replaceAll("// @ts-expect-error", "// expect-error (removed)");
    writeFileSync(join(project, "sample.ts"), stripped);
    try {
      const broken = run(["npx", "--no-install", "tsc", "-p", ".", "--noEmit"], project);
      const errors = broken.stdout.split("\n").filter((line) => /^sample\.ts\(\d+,\d+\): error/.test(line));
      const lines = new Set(errors.map((line) => Number(/^sample\.ts\((\d+)/.exec(line)![1])));
      expect(lines.size).toBe(directives);
    } finally {
      writeFileSync(join(project, "sample.ts"), sample);
    }
  }, 240_000);

  test("the compiled sample runs with node against a real server: results typed as they come back, errors with code, field and request id", async () => {
    const tsc = run(["npx", "--no-install", "tsc", "-p", "."], project);
    expect(tsc.code).toBe(0);
    const extension = "4711";
    const proc = Bun.spawn(["node", join(project, "out", "sample.js")], {
      cwd: project,
      env: {
        ...process.env,
        SB_URL: h.origin,
        SB_KEY_ID: DEMO_KEY_ID,
        SB_SECRET: DEMO_KEY_SECRET,
        SB_DOMAIN: DEMO_DOMAIN_NAME,
        SB_NEW_EXTENSION: extension,
      },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    const [row] = await h.db.sql<
      { extension: string }[]
    >`select extension from v_extensions where extension = ${extension}`;
    expect(row?.extension).toBe(extension);
    expect(result.domain).toBe(DEMO_DOMAIN_NAME);
    expect(result.listed).toHaveLength(2);
    expect(typeof result.nextCursor).toBe("string");
    expect(result.created).toBe(extension);
    expect(result.call.success).toBe(true);
    expect(result.call.description).toMatch(/^placed [0-9a-f-]{36} /);
    expect(result.notFound).toMatchObject({ code: "NOT_FOUND", httpStatus: 404 });
    expect(result.notFound.requestId).toMatch(/\S/);
    expect(result.invalid).toMatchObject({ code: "BAD_REQUEST", field: "limit", httpStatus: 400 });
  }, 240_000);
});
