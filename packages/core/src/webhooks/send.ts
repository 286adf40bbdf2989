import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { urlHost } from "../net/address-allow.ts";
import { parseRetryAfter } from "./schedule.ts";
import { allowedAddresses, WebhookUrlRefused, type WebhookUrlPolicy } from "./url-policy.ts";

export const DELIVERY_TIMEOUT_MS = 15_000;
/** How much of an endpoint's answer the delivery log keeps. */
export const EXCERPT_BYTES = 1024;

export interface SendOutcome {
  /** The HTTP status, or null when no answer came (refused address, connection error, timeout). */
  statusCode: number | null;
  /** Why there was no answer, in words. */
  error: string | null;
  /** The first 1 KiB of the answer's body, as text. */
  excerpt: string | null;
  retryAfterMs: number | null;
  durationMs: number;
}

/**
 * Resolves through the URL policy, so the connection goes to exactly the addresses that were checked: a
 * name that resolves to a private address at delivery time is refused (DNS rebinding).
 */
function guardedLookup(policy: WebhookUrlPolicy): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    allowedAddresses(hostname.toLowerCase(), policy).then(
      (addresses) => {
        const list = addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
        if (options?.all) callback(null, list);
        else callback(null, list[0]!.address, list[0]!.family);
      },
      (error: unknown) => callback(error),
    );
  }) as LookupFunction;
}

/**
 * POSTs one signed webhook. Redirects are not followed (a 3xx is a failed attempt), the whole exchange is
 * bounded by `timeoutMs`, and only the first KiB of the answer is read.
 */
export async function postWebhook(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: { policy: WebhookUrlPolicy; timeoutMs?: number },
): Promise<SendOutcome> {
  const started = performance.now();
  const finish = (partial: Omit<SendOutcome, "durationMs">): SendOutcome => ({
    ...partial,
    durationMs: Math.round(performance.now() - started),
  });
  try {
    // A literal address never goes through the lookup: check it here.
    await allowedAddresses(urlHost(url), options.policy);
  } catch (error) {
    const reason = error instanceof WebhookUrlRefused ? error.message : String(error);
    return finish({ statusCode: null, error: `refused: ${reason}`, excerpt: null, retryAfterMs: null });
  }
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  return new Promise<SendOutcome>((resolve) => {
    let settled = false;
    const settle = (outcome: Omit<SendOutcome, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(finish(outcome));
    };
    const transport = url.protocol === "https:" ? https : http;
    const request = transport.request(
      url,
      {
        method: "POST",
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": "Switchboard-Webhooks/1",
        },
        lookup: guardedLookup(options.policy),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const excerpt = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString("utf8");
          const retryAfter = response.headers["retry-after"];
          settle({
            statusCode: response.statusCode ?? null,
            error: null,
            excerpt,
            retryAfterMs: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, Date.now()),
          });
          response.destroy();
        };
        response.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= EXCERPT_BYTES) done();
        });
        response.on("end", done);
        response.on("error", done);
      },
    );
    const timer = setTimeout(() => {
      settle({ statusCode: null, error: `no answer within ${timeoutMs / 1000} s`, excerpt: null, retryAfterMs: null });
      request.destroy();
    }, timeoutMs);
    request.on("error", (error: Error) => {
      const reason = error instanceof WebhookUrlRefused ? `refused: ${error.message}` : error.message;
      settle({ statusCode: null, error: reason, excerpt: null, retryAfterMs: null });
    });
    request.end(body);
  });
}
