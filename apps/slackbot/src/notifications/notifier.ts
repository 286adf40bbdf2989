import { webApi } from "@slack/bolt";
import { listenForEvents } from "@switchboard/core";
import type { Sql } from "@switchboard/db";
import type { Logger } from "../runtime/logger.ts";
import { fanOutNotifications } from "./notify-fan-out.ts";
import { type SendOptions, sendDueNotifications } from "./notify-sender.ts";
import type { WorkspaceBinding } from "./notify-targets.ts";

export interface NotifierOptions extends SendOptions {
  sql: Sql;
  binding: WorkspaceBinding;
  /** Its own client: rate limits come back as errors (the queue waits), instead of the client sleeping. */
  client?: webApi.WebClient;
  botToken?: string;
  apiUrl?: string;
  logger: Logger;
  pollMs?: number;
}

export interface Notifier {
  /** One pass: fan out new events, send what is due; resolves to the messages sent. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/** Slack notifications for missed calls and voicemail (docs in the slackbot README): runs until stopped. */
export function createNotifier(options: NotifierOptions): Notifier {
  const client =
    options.client ??
    new webApi.WebClient(options.botToken, {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      timeout: 10_000,
    });
  async function runOnce(): Promise<number> {
    while ((await fanOutNotifications(options.sql, options.binding)) > 0) {
      // Again while passes find events.
    }
    let sent = 0;
    for (;;) {
      const n = await sendDueNotifications(options.sql, client, options);
      if (n === 0) return sent;
      sent += n;
    }
  }
  return { runOnce, stop: async () => {} };
}

/** Starts the notifier loop: woken by the event log, else every `pollMs` (paced and retried messages). */
export async function startNotifier(options: NotifierOptions): Promise<Notifier> {
  const notifier = createNotifier(options);
  const pollMs = options.pollMs ?? 1_000;
  let stopped = false;
  let wake: (() => void) | null = null;
  const nudge = () => wake?.();
  let listener: { unlisten(): Promise<void> } | null = null;
  try {
    listener = await listenForEvents(options.sql, nudge, nudge);
  } catch (error) {
    options.logger.warn({ error: String(error) }, "Slack notifications: no LISTEN, polling only");
  }
  const running = (async () => {
    while (!stopped) {
      try {
        await notifier.runOnce();
      } catch (error) {
        options.logger.error({ error: String(error) }, "Slack notifications: a pass failed");
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  })();
  return {
    runOnce: notifier.runOnce,
    async stop() {
      stopped = true;
      wake?.();
      await listener?.unlisten().catch(() => {});
      await running;
    },
  };
}
