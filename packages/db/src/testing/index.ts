export * from "./test-database.ts";
export * from "./schema-snapshot.ts";
export * from "./migration-ids.ts";
