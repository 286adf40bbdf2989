/**
 * `bun run migrate` (root: `npm run migrate`): applies Switchboard's migrations to the database in
 * DATABASE_URL (or FusionPBX's config.conf). On an empty database it creates FusionPBX's tables; on an
 * existing FusionPBX database it adds only switchboard_ tables. Errors are one line, exit code 1.
 * `--indexes` then also creates the recommended indexes on FusionPBX's tables (src/indexes.ts) with
 * CREATE INDEX CONCURRENTLY; never without it.
 */
import { createSql } from "../client.ts";
import { resolveDatabaseConfig } from "../config.ts";
import { connectFailureReason } from "../connect.ts";
import { DatabaseConnectError, oneLine } from "../errors.ts";
import { createRecommendedIndexes } from "../indexes.ts";
import { migrate } from "../migrate.ts";

const USAGE = "usage: migrate [--indexes]   (--indexes: also create the recommended indexes, CONCURRENTLY)";

async function main(args: string[]): Promise<number> {
  const unknown = args.filter((a) => a !== "--indexes");
  if (unknown.length > 0) {
    console.error(`migrate: unknown argument '${unknown[0]}'; ${USAGE}`);
    return 1;
  }
  const config = resolveDatabaseConfig(process.env);
  if (config.source === "embedded" || !config.url) {
    console.error(
      "migrate: no database configured; set DATABASE_URL=postgres://user:password@host:port/database (the embedded default migrates itself on start)",
    );
    return 1;
  }
  const sql = createSql(config.url, { max: 1, connectTimeoutSeconds: 5 });
  try {
    try {
      await sql`select 1`;
    } catch (err) {
      const where = new URL(config.url);
      throw new DatabaseConnectError(
        `cannot reach PostgreSQL at ${where.hostname}:${where.port || "5432"} (from ${config.source === "config.conf" ? `FusionPBX config ${config.configPath}` : "DATABASE_URL"}): ${connectFailureReason(err, 5)}`,
      );
    }
    console.log(`migrate: ${config.description}`);
    const result = await migrate(sql, { fusionpbx: "create-if-empty" });
    for (const id of result.applied) console.log(`applied ${id}`);
    for (const s of result.skipped) console.log(`skipped ${s.id}: ${s.reason}`);
    if (result.applied.length === 0)
      console.log(`nothing to do (${result.alreadyApplied.length} migrations already applied)`);
    if (result.fusionpbxCreated) console.log("created FusionPBX's tables (the database had none)");
    if (result.existingFusionpbx) console.log("existing FusionPBX database: its tables were not touched");
    if (args.includes("--indexes")) await createRecommendedIndexes(sql, (line) => console.log(line));
    return 0;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  console.error(`migrate: ${oneLine(err instanceof Error ? err.message : String(err))}`);
  process.exitCode = 1;
}
