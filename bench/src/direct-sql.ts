import type { Sql } from "../../packages/db/src/index.ts";
import type { LoadResult } from "./load.ts";
import { READS, type ReadName } from "./reads.ts";
import { summarise } from "./stats.ts";

/**
 * The no-HTTP ceiling: `concurrency` loops each awaiting the read's query through the same porsager
 * client (and pool size) the API uses, for `seconds`, after an unmeasured warm-up.
 */
export async function directSql(
  sql: Sql,
  read: ReadName,
  domainUuid: string,
  options: { connections: number; seconds: number; warmupSeconds?: number },
): Promise<LoadResult> {
  const run = READS[read].run;
  const measure = async (seconds: number, record: boolean) => {
    const latencies: number[] = [];
    const until = performance.now() + seconds * 1000;
    const started = performance.now();
    let done = 0;
    const worker = async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        await run(sql, domainUuid);
        done++;
        if (record) latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: options.connections }, worker));
    return { latencies, done, elapsed: (performance.now() - started) / 1000 };
  };
  if (options.warmupSeconds) await measure(options.warmupSeconds, false);
  const { latencies, done, elapsed } = await measure(options.seconds, true);
  return {
    connections: options.connections,
    seconds: elapsed,
    rps: done / elapsed,
    unexpected: {},
    errors: 0,
    timeouts: 0,
    ...summarise(latencies),
  };
}
