import { createHash, randomBytes } from "node:crypto";
import type { Sql } from "@switchboard/db";

/** How long a console session lasts from sign-in (8 hours), unless signed out or its key is revoked first. */
export const SESSION_LIFETIME_MS = 8 * 60 * 60 * 1000;

export interface ConsoleSession {
  keyId: string;
  /** Carried by every form of this session (see csrf.ts). */
  csrfToken: string;
  expiresAt: Date;
}

const token = () => randomBytes(32).toString("base64url");
const hashOf = (sessionToken: string) => createHash("sha256").update(sessionToken).digest("hex");

/**
 * Console sessions in PostgreSQL (migration 0008-console-sessions), so every API process and node shares
 * them. Only the SHA-256 of the browser's token is stored: a read of the table signs nobody in.
 */
export interface SessionStore {
  /** A new session for a key just verified; returns the token for the cookie. */
  create(keyId: string, address: string, lifetimeMs?: number): Promise<{ token: string; session: ConsoleSession }>;
  /** The unexpired session the token names, or null. */
  find(sessionToken: string): Promise<ConsoleSession | null>;
  /** Sign-out. */
  remove(sessionToken: string): Promise<void>;
  /** Ends every session of a key (revoked, disabled or no longer admin). */
  removeForKey(keyId: string): Promise<void>;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function createSessionStore(sql: Sql): SessionStore {
  return {
    async create(keyId, address, lifetimeMs = SESSION_LIFETIME_MS) {
      const sessionToken = token();
      const csrfToken = token();
      // Expired sessions are swept as new ones are made.
      await sql`delete from switchboard_console_sessions where expires_at <= now()`;
      const [row] = await sql<{ expires_ms: number }[]>`
        insert into switchboard_console_sessions (token_hash, key_uuid, csrf_token, address, expires_at)
        values (${hashOf(sessionToken)}, ${keyId}::uuid, ${csrfToken}, ${address},
                now() + ${`${Math.round(lifetimeMs)} milliseconds`}::interval)
        returning (extract(epoch from expires_at) * 1000)::float8 as expires_ms`;
      return { token: sessionToken, session: { keyId, csrfToken, expiresAt: new Date(row!.expires_ms) } };
    },
    async find(sessionToken) {
      if (!TOKEN_SHAPE.test(sessionToken)) return null;
      const [row] = await sql<{ key_uuid: string; csrf_token: string; expires_ms: number }[]>`
        select key_uuid::text as key_uuid, csrf_token, (extract(epoch from expires_at) * 1000)::float8 as expires_ms
        from switchboard_console_sessions
        where token_hash = ${hashOf(sessionToken)} and expires_at > now()`;
      return row ? { keyId: row.key_uuid, csrfToken: row.csrf_token, expiresAt: new Date(row.expires_ms) } : null;
    },
    async remove(sessionToken) {
      if (!TOKEN_SHAPE.test(sessionToken)) return;
      await sql`delete from switchboard_console_sessions where token_hash = ${hashOf(sessionToken)}`;
    },
    async removeForKey(keyId) {
      await sql`delete from switchboard_console_sessions where key_uuid = ${keyId}::uuid`;
    },
  };
}
