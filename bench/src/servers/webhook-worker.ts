// One webhook delivery worker (packages/core's dispatcher, as every API process runs it), for
// bench/webhooks.ts. Prints "ready", then its resident memory as "rss <KiB> <heap KiB>" whenever asked
// with a line on stdin.
import { createWebhookDispatcher } from "../../../packages/core/src/index.ts";
import { createSql } from "../../../packages/db/src/index.ts";

const sql = createSql(process.env.DATABASE_URL!, { max: 10 });
const dispatcher = createWebhookDispatcher({
  sql,
  policy: { allow: ["127.0.0.1"] },
  onError: (error) => console.error(`delivery error: ${(error as Error).message}`),
});
await dispatcher.start();
console.log("ready");
for await (const line of console) {
  if (line.trim() === "stop") break;
  const memory = process.memoryUsage();
  console.log(`rss ${Math.round(memory.rss / 1024)} ${Math.round(memory.heapUsed / 1024)}`);
}
await dispatcher.stop();
await sql.end({ timeout: 2 });
process.exit(0);
