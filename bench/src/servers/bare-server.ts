// The ceiling for an HTTP read: Bun.serve, the same porsager client and pool size as the API, the same
// SQL, the JSON body parsed and the rows serialised; no auth, routing, validation, audit or logging.
import { createSql } from "../../../packages/db/src/index.ts";
import { READS } from "../reads.ts";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is required");
const sql = createSql(url, { max: Number(process.env.SWITCHBOARD_BENCH_POOL_MAX ?? 10) });

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: Number(process.env.PORT ?? 0),
  async fetch(request) {
    const name = new URL(request.url).pathname.slice(1);
    const read = READS[name as keyof typeof READS];
    if (!read) return new Response("not found", { status: 404 });
    const body = (await request.json()) as { domain_uuid: string };
    const rows = await read.run(sql, body.domain_uuid);
    return new Response(JSON.stringify(read.single ? rows[0] : rows), {
      headers: { "content-type": "application/json" },
    });
  },
});
console.log(JSON.stringify({ port: server.port }));
