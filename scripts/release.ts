// `npm run release`: builds dist/switchboard, one executable with the Bun runtime, every app and every
// dependency inside (`bun build --compile`), so nothing is downloaded where it runs; then checks that the
// binary starts and prints its version, and packs it with the deploy/ files into
// dist/switchboard-<version>-linux-<arch>.tar.gz. Built for this machine's platform.
import { cpSync, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { arch, platform } from "node:os";
import { join } from "node:path";
import rootPackage from "../package.json" with { type: "json" };

const root = join(import.meta.dir, "..");
const dist = join(root, "dist");
const entry = join(root, "apps/cli/src/main.ts");
const version: string = rootPackage.version;

export async function buildRelease(outDir: string = dist): Promise<{ binary: string; archive: string }> {
  mkdirSync(outDir, { recursive: true });
  const binary = join(outDir, "switchboard");
  const built = Bun.spawnSync(
    [process.execPath, "build", "--compile", "--minify-syntax", "--minify-whitespace", entry, "--outfile", binary],
    {
      cwd: root,
      stdout: "pipe",
      stderr: "pipe",
      env: { ...process.env, NODE_ENV: "production" },
    },
  );
  if (built.exitCode !== 0)
    throw new Error(`bun build --compile failed:\n${built.stderr.toString()}${built.stdout.toString()}`);

  const reported = Bun.spawnSync([binary, "--version"], {
    stdout: "pipe",
    stderr: "pipe",
    env: { PATH: process.env.PATH ?? "" },
  });
  const line = reported.stdout.toString().trim();
  if (reported.exitCode !== 0 || line !== `switchboard ${version}`) {
    throw new Error(
      `the built binary answered '${line}' (exit ${reported.exitCode}) to --version, expected 'switchboard ${version}': ${reported.stderr.toString()}`,
    );
  }

  const name = `switchboard-${version}-${platform()}-${arch()}`;
  const staging = join(outDir, name);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  cpSync(binary, join(staging, "switchboard"));
  cpSync(join(root, "deploy"), join(staging, "deploy"), { recursive: true });
  cpSync(join(root, "README.md"), join(staging, "README.md"));
  const archive = join(outDir, `${name}.tar.gz`);
  const packed = Bun.spawnSync(["tar", "-czf", archive, "-C", outDir, name], { stdout: "pipe", stderr: "pipe" });
  rmSync(staging, { recursive: true, force: true });
  if (packed.exitCode !== 0) throw new Error(`tar failed: ${packed.stderr.toString()}`);
  return { binary, archive };
}

if (import.meta.main) {
  try {
    const { binary, archive } = await buildRelease();
    const mib = (p: string) => `${(statSync(p).size / 1024 / 1024).toFixed(0)} MiB`;
    console.log(`built ${binary} (${mib(binary)}): switchboard ${version}, ${platform()}-${arch()}`);
    console.log(`packed ${archive} (${mib(archive)}) with deploy/ and README.md`);
    if (!existsSync(binary)) process.exit(1);
  } catch (error) {
    console.error(`release: ${(error as Error).message}`);
    process.exit(1);
  }
}
