export * from "./action.ts";
export * from "./audit/audit-sink.ts";
export * from "./caller.ts";
export * from "./context.ts";
export * from "./errors.ts";
export * from "./execute.ts";
export * from "./registry.ts";
export * from "./scope.ts";
