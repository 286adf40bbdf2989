import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { DatabaseConnectError } from "./errors.ts";

/** Who the embedded PostgreSQL runs as; uid/gid are set only when that differs from this process. */
export interface ServerAccount {
  name: string;
  uid?: number;
  gid?: number;
}

/** The accounts tried, in order, when Switchboard runs as root: PostgreSQL's own, then the unprivileged one. */
export const ROOT_FALLBACK_ACCOUNTS = ["postgres", "nobody"] as const;

function passwdEntry(name: string, passwd: string): { uid: number; gid: number } | null {
  for (const line of passwd.split("\n")) {
    const [user, , uid, gid] = line.split(":");
    if (user === name && uid !== undefined && gid !== undefined) return { uid: Number(uid), gid: Number(gid) };
  }
  return null;
}

/**
 * PostgreSQL refuses to run as root (initdb and postgres both stop with "cannot be run as root"). Run as
 * root, Switchboard starts it as the `postgres` account when the system has one (a FusionPBX box does),
 * else as `nobody`; otherwise as the current user.
 */
export function serverAccount(passwdPath = "/etc/passwd", uid: number | undefined = process.getuid?.()): ServerAccount {
  if (uid !== 0) return { name: "current user" };
  let passwd = "";
  try {
    passwd = readFileSync(passwdPath, "utf8");
  } catch {
    // no passwd file: fall through to the error
  }
  for (const name of ROOT_FALLBACK_ACCOUNTS) {
    const entry = passwdEntry(name, passwd);
    if (entry && entry.uid !== 0) return { name, ...entry };
  }
  throw new DatabaseConnectError(
    "PostgreSQL cannot run as root and this system has neither a postgres nor a nobody account; run Switchboard as an ordinary user, or set DATABASE_URL",
  );
}

/** Whether the server's account can run (or enter) `path`; always true when it is this process's own user. */
export function accountCanReach(account: ServerAccount, path: string): boolean {
  if (account.uid === undefined) return true;
  return spawnSync("/bin/sh", ["-c", 'test -x "$1"', "sh", path], { uid: account.uid, gid: account.gid }).status === 0;
}

/**
 * Checks, as the server's account, that it can run the binary and enter `dir` (where its data directory,
 * owned by that account, lives): a checkout under a home directory that only root may enter would
 * otherwise fail later with a less clear message.
 */
export function checkServerAccess(account: ServerAccount, binary: string, dir: string): void {
  if (!accountCanReach(account, binary) || !accountCanReach(account, dir)) {
    throw new DatabaseConnectError(
      `PostgreSQL cannot run as root, so the embedded server runs as ${account.name}, which cannot reach ${binary} or enter ${dir}; let it in (chmod o+x on the parent directories) or set SWITCHBOARD_DATA_DIR, or set DATABASE_URL`,
    );
  }
}
