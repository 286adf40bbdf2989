import type { Scope } from "./scope.ts";

export type Face = "trpc" | "legacy" | "slack" | "cli" | "console" | "internal";

/** Who is asking: the face, the key or Slack user behind it, and what they may touch. */
export interface Caller {
  face: Face;
  requestId: string;
  keyId: string | null;
  /** A key or workspace bound to one domain sees only that domain; null means every domain. */
  domainUuid: string | null;
  scopes: ReadonlySet<Scope>;
  /** The extensions that are the caller's own (a Slack user's linked one): what `calls` may ring first. */
  extensions?: readonly string[];
  slackUserId?: string;
  slackTeamId?: string;
  /** Client address, for FusionPBX's `v_database_transactions.transaction_address` and our audit. */
  address?: string;
}
