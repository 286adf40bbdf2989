import { type PresentedCredentials, parseAuthorization, parseKeyId } from "@switchboard/core";
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";

/** The `Authorization` header read once per request: what it presents, and whether it used Bearer. */
export interface Presented {
  credentials: PresentedCredentials | null;
  bearer: boolean;
  /** The presented key id in canonical form, when it is a uuid at all. */
  keyId: string | null;
}

function read(c: Context<AppEnv>): Presented {
  const header = c.req.header("authorization");
  const credentials = parseAuthorization(header, { allowBearer: true });
  if (!credentials) return { credentials: null, bearer: false, keyId: null };
  return { credentials, bearer: /^\s*bearer\s/i.test(header!), keyId: parseKeyId(credentials.keyId) };
}

/**
 * The credentials a request presents, parsed once and shared by the refusal count, authentication and
 * /health. `allowBearer: false` (the legacy route, like the original) treats Bearer as no credentials.
 */
export function presentedCredentials(
  c: Context<AppEnv>,
  options: { allowBearer: boolean },
): { credentials: PresentedCredentials | null; keyId: string | null } {
  let presented = c.get("presented");
  if (!presented) {
    presented = read(c);
    c.set("presented", presented);
    if (presented.keyId) c.set("presentedKeyId", presented.keyId);
  }
  if (presented.bearer && !options.allowBearer) return { credentials: null, keyId: null };
  return presented;
}
