import { type Caller, outageError, parseKeyId } from "@switchboard/core";
import type { Context } from "hono";
import { html } from "hono/html";
import { withDeadline } from "../../deadline.ts";
import type { AppDeps, AppEnv } from "../../env.ts";
import { auditConsoleStep } from "../audit-sign-in.ts";
import { clearSessionCookie, sessionToken, setSessionCookie } from "../cookie.ts";
import { notice, page } from "../layout.ts";
import { consoleOrigin, isHttps, sameOrigin } from "../origin.ts";
import { type ConsoleEnv, mayUseConsole, seeOther } from "../session.ts";
import type { SessionStore } from "../session-store.ts";

function signInPage(c: Context<AppEnv>, status: 200 | 400 | 401 | 403 | 429 | 503, message?: string, keyId = "") {
  const ended = c.req.query("ended") === "1";
  return c.html(
    page(
      { title: "Sign in" },
      html`${notice("error", message)}
${ended && !message ? notice("ok", "Your session ended: signed out, expired, or its key was revoked or changed.") : ""}
<p>Sign in with an API key that has the <code>admin</code> scope. The secret is checked once; the browser keeps only a
session cookie, never the secret.</p>
<form method="post" action="/console/sign-in" class="stack">
<label>Key id <input name="key_id" value="${keyId}" required autocomplete="off" spellcheck="false"
placeholder="xxxxxxxx-xxxx-4xxx-xxxx-xxxxxxxxxxxx"></label>
<label>Secret <input name="secret" type="password" required autocomplete="off"></label>
<button type="submit">Sign in</button>
</form>`,
    ),
    status,
  );
}

/** `/console/sign-in` (GET form, POST credentials) and `/console/sign-out` (POST). */
export function signInRoutes(deps: AppDeps, store: SessionStore) {
  const caller = (c: Context<AppEnv>, keyId: string | null, domainUuid: string | null = null): Caller => ({
    face: "console",
    requestId: c.get("requestId"),
    keyId,
    domainUuid,
    scopes: new Set(),
    address: c.get("address"),
  });

  return {
    async form(c: Context<AppEnv>) {
      const token = sessionToken(c);
      const session = token ? await store.find(token) : null;
      if (session) return seeOther(c, "/console/keys");
      return signInPage(c, 200);
    },

    async submit(c: Context<AppEnv>) {
      const started = performance.now();
      const origin = consoleOrigin(c, deps);
      if (!sameOrigin(c, origin)) {
        c.set("refusal", "csrf");
        return signInPage(c, 403, "Refused: sign in from the console's own page.");
      }
      const form = await c.req.parseBody();
      const keyText = typeof form.key_id === "string" ? form.key_id.trim() : "";
      const secret = typeof form.secret === "string" ? form.secret : "";
      const keyId = parseKeyId(keyText);
      if (!keyId || !secret) {
        return signInPage(c, 400, "Enter the key id (a uuid) and its secret.", keyText.slice(0, 64));
      }
      c.set("presentedKeyId", keyId);
      let outcome: Awaited<ReturnType<AppDeps["authenticator"]["authenticate"]>>;
      try {
        outcome = await withDeadline(
          deps.authenticator.authenticate({ keyId, secret }, c.get("address")),
          deps.databaseDeadlineMs ?? 4_000,
        );
      } catch (error) {
        if (!outageError(error)) throw error;
        return signInPage(c, 503, "The database is unavailable; try again shortly.", keyId);
      }
      if (!outcome.ok) {
        if (outcome.reason === "rate_limited") {
          c.set("refusal", "rate_limited");
          c.header("Retry-After", String(outcome.retryAfterSeconds));
          return signInPage(c, 429, `Too many failed attempts; try again in ${outcome.retryAfterSeconds} s.`, keyId);
        }
        c.set("refusal", "bad_credentials");
        c.set("actionRan", true);
        auditConsoleStep(deps, caller(c, null), "console-sign-in", { ok: false, errorCode: "UNAUTHORIZED" }, started);
        return signInPage(c, 401, "Wrong key id or secret, or the key is disabled or expired.", keyId);
      }
      const key = outcome.key;
      c.set("keyId", key.keyId);
      c.set("actionRan", true);
      if (!mayUseConsole(key)) {
        auditConsoleStep(
          deps,
          caller(c, key.keyId, key.domainUuid),
          "console-sign-in",
          { ok: false, errorCode: "FORBIDDEN" },
          started,
        );
        return signInPage(c, 403, "This key lacks the admin scope the console needs.", keyId);
      }
      // A new token at every sign-in; a session this browser held before is ended, not reused.
      const previous = sessionToken(c);
      if (previous) await store.remove(previous);
      const created = await store.create(key.keyId, c.get("address"));
      setSessionCookie(c, created.token, created.session.expiresAt, isHttps(origin));
      auditConsoleStep(deps, caller(c, key.keyId, key.domainUuid), "console-sign-in", { ok: true }, started);
      return seeOther(c, "/console/keys");
    },

    /** Behind the session middleware, which has checked the form token. */
    async signOut(c: Context<ConsoleEnv>) {
      const started = performance.now();
      const { token, caller: signedIn } = c.get("signedIn");
      await store.remove(token);
      clearSessionCookie(c, isHttps(consoleOrigin(c, deps)));
      c.set("actionRan", true);
      auditConsoleStep(deps, signedIn, "console-sign-out", { ok: true }, started);
      return seeOther(c, "/console/sign-in");
    },
  };
}
