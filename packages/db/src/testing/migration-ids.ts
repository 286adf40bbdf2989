import { MIGRATIONS } from "../migrations/index.ts";

/**
 * What a database that already holds FusionPBX's tables is given: the "switchboard" migrations, in order.
 * migrate.test.ts states the full list once, literally; other tests take it from here.
 */
export const SWITCHBOARD_MIGRATION_IDS = MIGRATIONS.filter((m) => m.kind === "switchboard").map((m) => m.id);

/** Every migration id, in order: what a database Switchboard created itself records. */
export const ALL_MIGRATION_IDS = MIGRATIONS.map((m) => m.id);
