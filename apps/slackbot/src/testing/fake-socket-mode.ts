import type { ServerWebSocket } from "bun";

/**
 * Slack's Socket Mode end as the bot meets it: `apps.connections.open` (answered by the fake Web API)
 * hands out this server's ws:// URL; the server greets with `hello`, sends envelopes, and collects the
 * bot's acknowledgements (`{ envelope_id, payload }`).
 */
export function startFakeSocketMode() {
  const acks = new Map<string, Record<string, unknown>>();
  const waiters = new Map<string, (payload: Record<string, unknown>) => void>();
  const sockets = new Set<ServerWebSocket<unknown>>();
  let connected: () => void = () => {};
  const firstConnection = new Promise<void>((resolve) => {
    connected = resolve;
  });
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request, srv) {
      if (srv.upgrade(request)) return undefined;
      return new Response("websocket only", { status: 400 });
    },
    websocket: {
      open(ws) {
        sockets.add(ws);
        ws.send(
          JSON.stringify({
            type: "hello",
            num_connections: 1,
            debug_info: { host: "fake" },
            connection_info: { app_id: "A0APP" },
          }),
        );
        connected();
      },
      message(_ws, message) {
        const parsed = JSON.parse(String(message)) as { envelope_id: string; payload?: Record<string, unknown> };
        acks.set(parsed.envelope_id, parsed.payload ?? {});
        waiters.get(parsed.envelope_id)?.(parsed.payload ?? {});
      },
      close(ws) {
        sockets.delete(ws);
      },
    },
  });
  return {
    url: `ws://127.0.0.1:${server.port}/link`,
    connected: firstConnection,
    /** Sends a slash command envelope and resolves with the bot's ack payload. */
    sendSlashCommand(payload: Record<string, unknown>, timeoutMs = 10_000): Promise<Record<string, unknown>> {
      const envelopeId = crypto.randomUUID();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ack for envelope ${envelopeId}`)), timeoutMs);
        waiters.set(envelopeId, (ack) => {
          clearTimeout(timer);
          resolve(ack);
        });
        for (const ws of sockets)
          ws.send(
            JSON.stringify({
              envelope_id: envelopeId,
              type: "slash_commands",
              accepts_response_payload: true,
              payload,
            }),
          );
      });
    },
    acks,
    stop: () => server.stop(true),
  };
}
