/** A loopback TCP server that accepts connections and never answers: Slack's Web API when it hangs. */
export function startSilentServer() {
  let connections = 0;
  const sockets = new Set<{ end(): void }>();
  const server = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(socket) {
        connections++;
        sockets.add(socket);
      },
      data() {},
      close(socket) {
        sockets.delete(socket);
      },
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}/api/`,
    /** How many connections the bot opened to it. */
    connections: () => connections,
    stop() {
      for (const socket of sockets) socket.end();
      server.stop(true);
    },
  };
}
