import type { RespondFn } from "@slack/bolt";

/**
 * Posts to a command's or button's response_url and hands back Slack's answer whatever its status, so a
 * refusal (`invalid_blocks`) can be read and told to the user (Bolt's respond() throws it away).
 */
export function responseUrlPoster(url: string): RespondFn {
  return (message) =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(typeof message === "string" ? { text: message } : message),
      signal: AbortSignal.timeout(10_000),
    });
}
