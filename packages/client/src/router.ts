/**
 * The router type inside this repository. The packed package replaces this module with declarations generated
 * from it (scripts/emit-router-types.ts): the same types written out in full, without the server's sources.
 */
export type { AppRouter } from "@switchboard/api";
