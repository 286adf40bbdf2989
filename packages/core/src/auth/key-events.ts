import type { Queryable, Sql } from "@switchboard/db";

type Listener = (keyId: string) => void;
const listeners = new Set<Listener>();

/** Subscribe to key changes made in this process (revoke, secret or policy change). Returns an unsubscribe. */
export function onKeyChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Announces that a key changed, so in-process caches drop it at once. */
export function keyChanged(keyId: string): void {
  for (const listener of listeners) listener(keyId);
}

/** PostgreSQL channel on which Switchboard processes announce key changes to each other. */
export const KEY_CHANGED_CHANNEL = "switchboard_key_changed";

/** Tells every Switchboard process (through PostgreSQL NOTIFY, delivered at commit) that a key changed. */
export async function announceKeyChanged(sql: Queryable, keyId: string): Promise<void> {
  await sql`select pg_notify(${KEY_CHANGED_CHANNEL}, ${keyId})`;
}

/**
 * Forwards other processes' key announcements to this process's caches. Resolves to a stop function; where
 * the database cannot LISTEN (a connection pooler in transaction mode), it resolves to a no-op and caches
 * fall back to their short TTL.
 */
export async function listenForKeyChanges(
  sql: Sql,
  options: { timeoutMs?: number } = {},
): Promise<() => Promise<void>> {
  const listening = sql.listen(KEY_CHANGED_CHANNEL, (keyId) => keyChanged(keyId));
  const gaveUp = Symbol("timeout");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof gaveUp>((resolve) => {
    timer = setTimeout(() => resolve(gaveUp), options.timeoutMs ?? 3_000);
  });
  try {
    const result = await Promise.race([listening, timeout]);
    if (result === gaveUp) {
      void listening.then((l) => l.unlisten()).catch(() => {});
      return async () => {};
    }
    return result.unlisten;
  } catch {
    return async () => {};
  } finally {
    clearTimeout(timer);
  }
}
