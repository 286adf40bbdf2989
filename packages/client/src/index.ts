import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
  type TRPCClient,
} from "@trpc/client";
import { EventSource } from "eventsource";
import type { AppRouter } from "./router.ts";

/** In the packed package: AppRouter, every `<Path>Input`/`<Path>Output` type and the error shape. */
export type * from "./router.ts";

export interface SwitchboardClientOptions {
  /** Where Switchboard listens, e.g. `http://127.0.0.1:3000` (a URL ending in `/trpc` works too). */
  url: string;
  /** The API key's uuid. */
  keyId: string;
  /** The API key's secret. */
  secret: string;
  /** Extra headers for every request, e.g. `{ "x-request-id": "…" }`. */
  headers?: Record<string, string>;
}

/**
 * A typed client: `client.extensions.create.mutate({...})`, `client.domains.details.query({...})`, and the
 * live events: `client.events.stream.subscribe({ types: ["call.missed"] }, { onData: ({ id, data }) => … })`
 * (server-sent events; the client resumes after the last id it got when the connection drops).
 */
export type SwitchboardClient = TRPCClient<AppRouter>;

/** What every call rejects with: `error.data` carries Switchboard's code, offending field and request id. */
export type SwitchboardError = TRPCClientError<AppRouter>;

/** The tRPC endpoint for a Switchboard base URL. */
export function trpcUrl(url: string): string {
  const base = url.replace(/\/+$/, "");
  return base.endsWith("/trpc") ? base : `${base}/trpc`;
}

export function createSwitchboardClient(options: SwitchboardClientOptions): SwitchboardClient {
  const authorization = `Bearer ${options.keyId}:${options.secret}`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        // A browser's EventSource cannot send the Authorization header; this one (the eventsource package)
        // sends it through its own fetch.
        true: httpSubscriptionLink({
          url: trpcUrl(options.url),
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) =>
              fetch(input, { ...init, headers: { ...init?.headers, ...options.headers, authorization } }),
          }),
        }),
        false: httpBatchLink({
          url: trpcUrl(options.url),
          headers: () => ({ ...options.headers, authorization }),
        }),
      }),
    ],
  });
}

/** Narrows a caught value to a Switchboard error (then `error.data?.code`, `.field`, `.requestId` are typed). */
export function isSwitchboardError(error: unknown): error is SwitchboardError {
  return error instanceof TRPCClientError;
}
