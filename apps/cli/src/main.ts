/**
 * `switchboard`: the one program of a release (`npm run release` compiles it with `bun build --compile`).
 * Subcommands run the apps' own entry points: serve (the API, default), slackbot, migrate, keys, doctor.
 */
import { resolveDatabaseConfig } from "@switchboard/db";
import { VERSION } from "./version.ts";

const USAGE = `usage: switchboard [command] [options]

  serve                 the API (default): /app/rest_api/rest.php, /trpc, the reference page
  slackbot              the Slack app
  migrate [--indexes]   create Switchboard's tables; --indexes also the recommended indexes (CONCURRENTLY)
  keys create|list|revoke   manage API keys (keys --help)
  doctor                check this server: database, FusionPBX version, switch, cache, config.conf, clock, indexes
  --version             print the version

Settings come from the environment (DATABASE_URL, ESL_*, PORT, HOST, TRUSTED_PROXIES, ...) or, on a FusionPBX
server, from /etc/fusionpbx/config.conf.`;

const COMMANDS = ["serve", "slackbot", "migrate", "keys", "doctor"] as const;
type Command = (typeof COMMANDS)[number];

/** True in the binary `bun build --compile` made: its modules live in Bun's embedded file system. */
const compiled = Bun.main.startsWith("/$bunfs/") || Bun.main.startsWith("B:/~BUN/");

const first = process.argv[2];
if (first === "--version" || first === "-v" || first === "version") {
  console.log(`switchboard ${VERSION}`);
  process.exit(0);
}
if (first === "--help" || first === "-h" || first === "help") {
  console.log(USAGE);
  process.exit(0);
}
if (first !== undefined && !(COMMANDS as readonly string[]).includes(first)) {
  console.error(`switchboard: unknown command '${first}'; one of ${COMMANDS.join(", ")}, or --help`);
  process.exit(1);
}
const command: Command = (first as Command | undefined) ?? "serve";
// The entry points read their own arguments from process.argv.slice(2): take the command name out.
if (first !== undefined) process.argv.splice(2, 1);

if (compiled && command !== "doctor" && command !== "migrate") {
  // The embedded demo runs PostgreSQL binaries from an npm package directory, which a single executable lacks.
  let source: string;
  try {
    source = resolveDatabaseConfig(process.env).source;
  } catch (error) {
    console.error(`switchboard: ${(error as Error).message}`);
    process.exit(1);
  }
  if (source === "embedded") {
    console.error(
      "switchboard: no database configured: run it on the FusionPBX server (it reads /etc/fusionpbx/config.conf; the user needs read access, e.g. group www-data) or set DATABASE_URL=postgres://user:password@host:5432/fusionpbx. The release binary has no embedded demo; a source checkout's `npm start` has.",
    );
    process.exit(1);
  }
}

switch (command) {
  case "serve":
    await import("../../api/src/server.ts");
    break;
  case "slackbot":
    await import("../../slackbot/src/server.ts");
    break;
  case "migrate":
    await import("../../../packages/db/src/cli/migrate.ts");
    break;
  case "keys":
    await import("../../api/src/cli/keys.ts");
    break;
  case "doctor":
    await import("./doctor/command.ts");
    break;
}
