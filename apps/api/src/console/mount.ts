import { type Context, Hono } from "hono";
import type { AppDeps, AppEnv } from "../env.ts";
import { auditPage } from "./pages/audit.ts";
import { callRoutes } from "./pages/calls.ts";
import { domainRoutes } from "./pages/domains.ts";
import { healthPage } from "./pages/health.ts";
import { keyRoutes } from "./pages/keys.ts";
import { signInRoutes } from "./pages/sign-in.ts";
import { securityHeaders } from "./security-headers.ts";
import { type ConsoleEnv, requireSession, seeOther } from "./session.ts";
import { createSessionStore } from "./session-store.ts";
import { CONSOLE_CSS } from "./stylesheet.ts";

/**
 * `/console`: the web console for admins (sign in with an admin key; keys, audit log, calls, domains,
 * health). Server-rendered forms, no script; every operation is a core action called in process as the
 * session's key, so scopes, domain binding and audit apply as on every other face.
 */
export function mountConsole(app: Hono<AppEnv>, deps: AppDeps): void {
  const store = createSessionStore(deps.sql);
  const open = new Hono<AppEnv>();
  const signIn = signInRoutes(deps, store);
  open.use(securityHeaders());
  open.get("/console.css", (c) => {
    c.header("Content-Type", "text/css; charset=utf-8");
    return c.body(CONSOLE_CSS);
  });
  open.get("/sign-in", (c) => signIn.form(c));
  open.post("/sign-in", (c) => signIn.submit(c));

  const signedIn = new Hono<ConsoleEnv>();
  signedIn.use(securityHeaders());
  signedIn.use(requireSession(deps, store));
  signedIn.get("/", (c) => seeOther(c, "/console/keys"));
  signedIn.post("/sign-out", (c) => signIn.signOut(c));
  signedIn.get("/keys", (c) => keyRoutes.list(c));
  signedIn.post("/keys", (c) => keyRoutes.create(c));
  signedIn.post("/keys/revoke", (c) => keyRoutes.revoke(c));
  signedIn.get("/audit", (c) => auditPage(c));
  signedIn.get("/calls", (c) => callRoutes.show(c));
  signedIn.post("/calls/originate", (c) => callRoutes.originate(c));
  signedIn.get("/domains", (c) => domainRoutes.list(c));
  signedIn.post("/domains", (c) => domainRoutes.create(c));
  signedIn.post("/domains/update", (c) => domainRoutes.update(c));
  signedIn.post("/domains/delete", (c) => domainRoutes.remove(c));
  signedIn.get("/health", healthPage(deps));

  app.get("/console", (c: Context<AppEnv>) => seeOther(c, "/console/"));
  app.route("/console", open);
  app.route("/console", signedIn);
}
