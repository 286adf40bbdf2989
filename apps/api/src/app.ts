import { actions, type AnyAction } from "@switchboard/core";
import { trpcServer } from "@hono/trpc-server";
import { type Context, Hono } from "hono";
import { mountConsole } from "./console/mount.ts";
import { docsPage, docsPageCsp, REFERENCE_PREFIX } from "./docs/docs-page.ts";
import { openApiDocument } from "./docs/openapi.ts";
import type { AppDeps, AppEnv } from "./env.ts";
import { mountHealth } from "./health.ts";
import { LEGACY_PATH, mountLegacyRoute } from "./legacy/rest-php.ts";
import { authenticate } from "./middleware/authenticate.ts";
import { bodySize } from "./middleware/body-size.ts";
import { clientAddress, publicOrigin } from "./middleware/client-address.ts";
import { errorHandler, notFoundHandler } from "./middleware/errors.ts";
import { hostHeader, requestPath } from "./middleware/host-header.ts";
import { requestId } from "./middleware/request-id.ts";
import { refusals } from "./middleware/refusals.ts";
import { requestLog } from "./middleware/request-log.ts";
import { createTrpcContext, type TrpcContext } from "./trpc/context.ts";
import { createAppRouter } from "./trpc/router.ts";
import { singleQuery } from "./trpc/single-query.ts";

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_BATCH_SIZE = 10;

/** The whole HTTP API over one runtime; serve its `fetch` with Bun or @hono/node-server. */
export function createApp(deps: AppDeps, list: readonly AnyAction[] = actions): Hono<AppEnv> {
  const { logger } = deps;
  const app = new Hono<AppEnv>({ getPath: requestPath });
  const router = createAppRouter(list);

  app.use(requestId());
  app.use(clientAddress(deps.trustedProxies));
  app.use(requestLog(logger));
  if (deps.refusals) app.use(refusals(deps.refusals, deps.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE));
  app.use(hostHeader());
  app.use(bodySize(deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES));
  app.onError(errorHandler(logger));
  app.notFound(notFoundHandler);

  app.use(LEGACY_PATH, authenticate(deps, { face: "legacy", allowBearer: false }));
  mountLegacyRoute(app, deps, list);
  mountHealth(app, deps);
  mountConsole(app, deps);

  for (const base of ["/", REFERENCE_PREFIX]) {
    app.get(base, (c) => {
      const nonce = crypto.randomUUID().replaceAll("-", "");
      c.header("Content-Security-Policy", docsPageCsp(nonce));
      return c.html(docsPage(list, publicOrigin(c, deps.publicUrl, deps.trustedProxies), nonce));
    });
    app.get(`${base}openapi.json`, (c) =>
      c.json(openApiDocument(list, publicOrigin(c, deps.publicUrl, deps.trustedProxies))),
    );
  }

  app.use("/trpc/*", authenticate(deps, { face: "trpc", allowBearer: true }));
  const createContext = async (c: Context<AppEnv>): Promise<TrpcContext> => createTrpcContext(deps, c);
  const responseHeaders = (ctx: TrpcContext | undefined): Record<string, string> => {
    const failure = ctx?.authFailure;
    return failure?.code === "TOO_MANY_REQUESTS" ? { "Retry-After": String(failure.retryAfterSeconds) } : {};
  };
  const onError = (error: { code: string; cause?: unknown }, ctx: TrpcContext | undefined) => {
    if (error.code !== "INTERNAL_SERVER_ERROR") return;
    const cause = error.cause ?? error;
    logger.error(
      {
        request_id: ctx?.requestId ?? null,
        error: cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause),
      },
      "trpc internal error",
    );
  };
  if (deps.trpcSingleQueryFastPath !== false)
    app.use("/trpc/*", singleQuery({ router, createContext, responseHeaders, onError }));
  app.use(
    "/trpc/*",
    trpcServer({
      endpoint: "/trpc",
      router,
      maxBatchSize: deps.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE,
      createContext: async (_options, c) => (await createContext(c as never)) as TrpcContext & Record<string, unknown>,
      responseMeta: ({ ctx }) => ({ headers: responseHeaders(ctx as TrpcContext | undefined) }),
      onError: ({ error, ctx }) => onError(error, ctx as TrpcContext | undefined),
    }),
  );
  return app;
}
