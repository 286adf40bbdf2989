import { connectDatabase } from "@switchboard/db";
import { DialPolicyUsageError, dialPolicyCommand } from "./dial-policy-command.ts";

/** `npm run dial-policy -- …`: see docs/call-policy.md. */
const database = await connectDatabase({ log: () => {} }).catch((error: unknown) => {
  console.error(`dial-policy: ${(error as Error)?.message ?? error}`);
  process.exit(1);
});
let code = 1;
try {
  code = await dialPolicyCommand(process.argv.slice(2), { sql: database.sql, out: (line) => console.log(line) });
} catch (error) {
  console.error(
    error instanceof DialPolicyUsageError || (error as Error)?.name === "TypeError"
      ? (error as Error).message
      : `dial-policy: ${String(error)}`,
  );
}
await database.close();
process.exit(code);
