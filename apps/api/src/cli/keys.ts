import { createLogger, startRuntime, startupFailure } from "@switchboard/runtime";
import { cliCaller } from "./cli-caller.ts";
import { keysCommand } from "./keys-command.ts";

// Key management never talks to FreeSWITCH; only warnings reach the terminal (the output is the keys).
const logger = createLogger({ service: "cli", level: "warn" });
const runtime = await startRuntime({ logger, switches: false }).catch((error: unknown) => {
  console.error(startupFailure(error));
  process.exit(1);
});
let code: number;
try {
  code = await keysCommand(process.argv.slice(2), { calls: runtime.caller(cliCaller()), out: (l) => console.log(l) });
} catch (error) {
  console.error(startupFailure(error));
  code = 1;
}
await runtime.close();
process.exit(code);
