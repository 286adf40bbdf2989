// A stand-in for Slack's Web API (`SLACK_API_URL`) and for `response_url`, in its own process so the
// load generator never shares its event loop: every Web API method answers `{ok:true,…}`, every
// response_url POST 200. Prints `{"port":…}` once listening.
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(request) {
    const path = new URL(request.url).pathname;
    await request.arrayBuffer();
    if (path.startsWith("/api/")) {
      const method = path.slice("/api/".length);
      const extra: Record<string, unknown> =
        method === "auth.test"
          ? {
              url: "https://bench.slack.test/",
              team: "Bench",
              user: "switchboard",
              team_id: "TBENCH",
              user_id: "UBOT",
              bot_id: "BBOT",
            }
          : method === "users.info"
            ? {
                user: {
                  id: "UBENCH",
                  team_id: "TBENCH",
                  name: "bench",
                  real_name: "Bench User",
                  profile: { email: "bench@example.test" },
                },
              }
            : method === "chat.postMessage" || method === "chat.postEphemeral"
              ? { channel: "CBENCH", ts: `${Date.now() / 1000}` }
              : {};
      return Response.json({ ok: true, ...extra });
    }
    return Response.json({ ok: true });
  },
});
console.log(JSON.stringify({ port: server.port }));
