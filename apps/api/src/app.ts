import { actions, type AnyAction, outageError } from "@switchboard/core";
import { trpcServer } from "@hono/trpc-server";
import { Hono } from "hono";
import { authenticateRequest, callerFor } from "./authenticate.ts";
import { docsPage, REFERENCE_PREFIX } from "./docs/docs-page.ts";
import { openApiDocument } from "./docs/openapi.ts";
import type { AppDeps, AppEnv } from "./env.ts";
import { mountHealth } from "./health.ts";
import { mountLegacyRoute } from "./legacy/rest-php.ts";
import { bodySize } from "./middleware/body-size.ts";
import { clientAddress } from "./middleware/client-address.ts";
import { errorHandler, notFoundHandler } from "./middleware/errors.ts";
import { requestId } from "./middleware/request-id.ts";
import { requestLog } from "./middleware/request-log.ts";
import { authFailureOf, type TrpcContext } from "./trpc/context.ts";
import { createAppRouter } from "./trpc/router.ts";

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The whole HTTP API over one set of dependencies; serve its `fetch` with Bun or @hono/node-server. */
export function createApp(deps: AppDeps, list: readonly AnyAction[] = actions): Hono<AppEnv> {
  const log = deps.log ?? ((line: string) => console.log(line));
  const app = new Hono<AppEnv>();
  const router = createAppRouter(list);

  app.use(requestId());
  app.use(clientAddress(deps.trustedProxies));
  app.use(requestLog(log));
  app.use(bodySize(deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES));
  app.onError(errorHandler(log));
  app.notFound(notFoundHandler);

  mountLegacyRoute(app, deps, list);
  mountHealth(app, deps);

  for (const base of ["/", REFERENCE_PREFIX]) {
    app.get(base, (c) => c.html(docsPage(list, c.get("origin"))));
    app.get(`${base}openapi.json`, (c) => c.json(openApiDocument(list, c.get("origin"))));
  }

  app.use(
    "/trpc/*",
    trpcServer({
      endpoint: "/trpc",
      router,
      async createContext(_options, c): Promise<TrpcContext & Record<string, unknown>> {
        const hc = c as unknown as Parameters<typeof authenticateRequest>[0];
        const base = { deps, requestId: hc.get("requestId") };
        try {
          const outcome = await authenticateRequest(hc, deps, { allowBearer: true });
          if (outcome.ok) return { ...base, caller: callerFor("trpc", hc, outcome), authFailure: null };
          return { ...base, caller: null, authFailure: authFailureOf(outcome) };
        } catch (error) {
          const outage = outageError(error);
          if (!outage) throw error;
          return { ...base, caller: null, authFailure: { code: "SERVICE_UNAVAILABLE", message: outage.message } };
        }
      },
      responseMeta({ ctx }) {
        const failure = (ctx as TrpcContext | undefined)?.authFailure;
        if (failure?.code === "TOO_MANY_REQUESTS") return { headers: { "Retry-After": String(failure.retryAfterSeconds) } };
        return {};
      },
      onError({ error, ctx }) {
        if (error.code !== "INTERNAL_SERVER_ERROR") return;
        const cause = error.cause ?? error;
        log(
          JSON.stringify({
            time: new Date().toISOString(),
            level: "error",
            request_id: (ctx as TrpcContext | undefined)?.requestId ?? null,
            message: "trpc internal error",
            error: cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause),
          }),
        );
      },
    }),
  );
  return app;
}
