import { existsSync, readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";

export interface MachineInfo {
  cpuModel: string;
  /** `os.cpus().length`. */
  logicalCpus: number;
  /** `nproc`: CPUs this process may run on. */
  nproc: number;
  memoryGiB: number;
  kernel: string;
  os: string;
  bun: string;
  node: string | null;
  postgres: string;
  /** Package versions as installed (not as declared). */
  packages: Record<string, string>;
}

const root = join(import.meta.dir, "..", "..");

function run(cmd: string[]): string | null {
  try {
    const out = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "ignore" });
    return out.exitCode === 0 ? out.stdout.toString().trim() : null;
  } catch {
    return null;
  }
}

function installedVersion(pkg: string, fromWorkspaces: string[]): string | null {
  for (const ws of fromWorkspaces) {
    const file = join(root, ws, "node_modules", pkg, "package.json");
    if (existsSync(file)) return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  }
  return null;
}

function osName(): string {
  try {
    const text = readFileSync("/etc/os-release", "utf8");
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(text)?.[1] ?? "unknown";
  } catch {
    return "unknown";
  }
}

export function machineInfo(postgresVersion: string): MachineInfo {
  const lscpuModel = run(["lscpu"])
    ?.split("\n")
    .find((l) => l.startsWith("Model name:"))
    ?.replace("Model name:", "")
    .trim();
  const packages: Record<string, string> = {};
  const wanted: Array<[string, string[]]> = [
    ["hono", ["apps/api"]],
    ["@hono/trpc-server", ["apps/api"]],
    ["@trpc/server", ["apps/api"]],
    ["zod", ["apps/api", "packages/core"]],
    ["postgres", ["packages/db"]],
    ["esl", ["packages/esl"]],
    ["@slack/bolt", ["apps/slackbot"]],
    ["bcryptjs", ["packages/core", "packages/db"]],
    ["autocannon", ["."]],
  ];
  for (const [name, places] of wanted) {
    const version = installedVersion(name, places);
    if (version) packages[name] = version;
  }
  return {
    cpuModel: lscpuModel ?? cpus()[0]?.model ?? "unknown",
    logicalCpus: cpus().length,
    nproc: Number(run(["nproc"]) ?? Number.NaN),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: run(["uname", "-r"]) ?? "unknown",
    os: osName(),
    bun: Bun.version,
    node: run(["node", "--version"]),
    postgres: postgresVersion,
    packages,
  };
}

/** Load average and other processes' CPU share right now: the machine is shared, so say how busy it was. */
export function loadAverage(): string {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "unknown";
  }
}
