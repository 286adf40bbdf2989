export * from "./client.ts";
export * from "./schema-info.ts";
