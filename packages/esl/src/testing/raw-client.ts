import { connect, type Socket } from "node:net";

/** A bare TCP client for byte-level tests of the fake switch: everything received, as text. */
export interface RawClient {
  socket: Socket;
  /** Everything received so far. */
  text(): string;
  send(text: string): void;
  /** Resolves with everything received once `predicate` holds (rejects after `timeoutMs`). */
  waitFor(predicate: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resolves once the server closed the connection. */
  closed: Promise<void>;
  close(): void;
}

export async function rawConnect(port: number, host = "127.0.0.1"): Promise<RawClient> {
  const socket = connect({ port, host });
  let received = "";
  const listeners = new Set<() => void>();
  socket.on("data", (data: Buffer) => {
    received += data.toString("utf8");
    for (const listener of [...listeners]) listener();
  });
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });
  return {
    socket,
    text: () => received,
    send: (text) => socket.write(text),
    waitFor(predicate, timeoutMs = 2000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(received)) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(received);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`Timed out; received so far: ${JSON.stringify(received)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    closed,
    close: () => socket.destroy(),
  };
}
