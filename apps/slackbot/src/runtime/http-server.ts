import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { HTTPReceiver } from "@slack/bolt";

/** Slack's replay window: a request stamped further than this from our clock, either way, is refused. */
const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

/**
 * Bolt refuses old timestamps but accepts any in the future; Slack's rule is "more than five minutes from
 * local time", so this checks the header both ways before Bolt verifies the signature over the raw body.
 */
export function timestampOutOfWindow(request: IncomingMessage, nowSeconds = Date.now() / 1000): boolean {
  const header = request.headers["x-slack-request-timestamp"];
  if (typeof header !== "string") return false; // Bolt refuses a missing header itself.
  const stamp = Number(header);
  return !Number.isFinite(stamp) || Math.abs(nowSeconds - stamp) > MAX_CLOCK_SKEW_SECONDS;
}

/** Serves Bolt's HTTPReceiver on node:http with the timestamp window enforced in both directions. */
export async function listen(
  receiver: HTTPReceiver,
  port: number,
  host: string,
): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    if (timestampOutOfWindow(request)) {
      response.writeHead(401).end();
      return;
    }
    try {
      receiver.requestListener(request, response);
    } catch {
      // Bolt throws for paths it does not serve.
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return { server, url: `http://${shown}:${address.port}` };
}
