import { createAuditSink } from "@switchboard/core";
import { connectDatabase } from "@switchboard/db";
import type { SwitchPool } from "@switchboard/esl";
import { startupFailure } from "../startup.ts";
import { keysCommand } from "./keys-command.ts";

/** Key management never talks to FreeSWITCH; actions that would get this pool refuse. */
const noSwitches: SwitchPool = {
  switches: [],
  forCalls() {
    throw new Error("the keys command has no switch");
  },
  broadcast: async () => [],
  broadcastEvent: async () => [],
  health: async () => [],
  close: async () => {},
};

const database = await connectDatabase({ log: () => {} }).catch((error: unknown) => {
  console.error(startupFailure(error));
  process.exit(1);
});
const audit = createAuditSink(database.sql);
let code: number;
try {
  code = await keysCommand(process.argv.slice(2), { sql: database.sql, schema: database.schema, switches: noSwitches, audit, out: (l) => console.log(l) });
} catch (error) {
  console.error(startupFailure(error));
  code = 1;
}
await audit.flush().catch(() => {});
await database.close();
process.exit(code);
