import {
  type ActionCaller,
  type AuthenticatedKey,
  type Caller,
  createActionContext,
  createCaller,
} from "@switchboard/core";
import type { Context, MiddlewareHandler } from "hono";
import type { AppDeps, AppVariables } from "../env.ts";
import { clearSessionCookie, sessionToken } from "./cookie.ts";
import { csrfTokenMatches } from "./csrf.ts";
import { consoleOrigin, isHttps } from "./origin.ts";
import type { ConsoleSession, SessionStore } from "./session-store.ts";

/** The signed-in console user: their session and the key it acts as, with that key's present standing. */
export interface SignedIn {
  token: string;
  session: ConsoleSession;
  key: AuthenticatedKey;
  /** The session's key as the caller, for this request: face `console`, the client's address. */
  caller: Caller;
  /** Every action, as this caller, audited like any other face. */
  call: ActionCaller;
  /** The same without audit rows, for what a page looks up only to show names (a domain's name). */
  lookup: ActionCaller;
}

export type ConsoleEnv = { Variables: AppVariables & { signedIn: SignedIn; form: Record<string, string> } };

/** Only admin-scoped keys may use the console (what FusionPBX's key page required). */
export const mayUseConsole = (key: AuthenticatedKey) => key.scopes.has("admin");

/** Redirect with 303 (a POST's answer becomes a GET). */
export const seeOther = (c: Context, path: string) => c.redirect(path, 303);

/** The text fields of a posted form (files and repeated names: the last text value). */
async function formFields(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody({ all: true });
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
    if (values.length > 0) fields[name] = values.join(",");
  }
  return fields;
}

/**
 * Every console page but sign-in: a live session whose key is still admin (revoked, disabled, expired or
 * narrowed keys end all their sessions at once), else back to sign-in. A POST must carry the session's form
 * token, and a browser's `Origin`, when sent, must be the console's own: anything else is refused with 403.
 */
export function requireSession(deps: AppDeps, store: SessionStore): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const token = sessionToken(c);
    const session = token ? await store.find(token) : null;
    const key = session ? await deps.authenticator.standing(session.keyId) : null;
    if (!token || !session || !key || !mayUseConsole(key)) {
      if (session) await store.removeForKey(session.keyId);
      if (token) clearSessionCookie(c, isHttps(consoleOrigin(c, deps)));
      return seeOther(c, session ? "/console/sign-in?ended=1" : "/console/sign-in");
    }
    c.set("keyId", key.keyId);
    if (c.req.method === "POST") {
      const form = await formFields(c);
      const origin = c.req.header("origin");
      if (!csrfTokenMatches(session.csrfToken, form.csrf) || (origin && origin !== consoleOrigin(c, deps))) {
        c.set("refusal", "csrf");
        return c.text("Refused: this form did not come from your console session. Reload the page and try again.", 403);
      }
      c.set("form", form);
    }
    const caller: Caller = {
      face: "console",
      requestId: c.get("requestId"),
      keyId: key.keyId,
      domainUuid: key.domainUuid,
      scopes: key.scopes,
      address: c.get("address"),
    };
    const context = createActionContext(deps, caller);
    c.set("signedIn", {
      token,
      session,
      key,
      caller,
      call: createCaller(context, { audit: deps.audit }),
      lookup: createCaller(context),
    });
    await next();
  };
}
