export * from "./logger.ts";
export * from "./process-guard.ts";
export * from "./runtime.ts";
export * from "./service.ts";
export * from "./settings.ts";
