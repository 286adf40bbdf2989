export type { AppRouter } from "./trpc/router-types.ts";
export { createApp } from "./app.ts";
export type { AppDeps } from "./env.ts";
