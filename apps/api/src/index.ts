export type { AppRouter } from "./trpc/router-types.ts";
export { createApp } from "./app.ts";
export type { AppDeps } from "./env.ts";
/** The order the reference page's examples must run in (some remove what others use). */
export { RUN_LAST as EXAMPLES_RUN_LAST } from "./docs/examples.ts";
