import { createHmac } from "node:crypto";
import type { HttpTarget } from "./load.ts";

export const LEGACY_PATH = "/app/rest_api/rest.php";

export interface TargetContext {
  apiUrl: string;
  authorization: string;
  domainUuid: string;
  domainName: string;
  /** First extension number of the seeded tenant (extensions are consecutive, 1000 of them). */
  firstExtension: number;
  slackUrl: string | null;
  /** The fake Slack server: Web API under /api/, response_url anywhere else. */
  fakeSlackUrl: string | null;
  slackSigningSecret: string;
  slackTeamId: string;
  slackUserId: string;
}

/** The legacy route exactly as the original's README calls it (`curl -d`: form content type, JSON body). */
export function legacy(
  ctx: TargetContext,
  body: Record<string, unknown> | (() => Record<string, unknown>),
): HttpTarget {
  return {
    method: "POST",
    url: ctx.apiUrl + LEGACY_PATH,
    headers: { authorization: ctx.authorization, "content-type": "application/x-www-form-urlencoded" },
    ...(typeof body === "function"
      ? { dynamic: () => ({ body: JSON.stringify(body()) }) }
      : { body: JSON.stringify(body) }),
  };
}

/** A tRPC query over GET, as `@trpc/client`'s httpLink sends it (no batching). */
export function trpcQuery(ctx: TargetContext, path: string, input: unknown): HttpTarget {
  return {
    method: "GET",
    url: `${ctx.apiUrl}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`,
    headers: { authorization: ctx.authorization },
  };
}

/** A tRPC mutation over POST with a JSON body. */
export function trpcMutation(ctx: TargetContext, path: string, input: unknown | (() => unknown)): HttpTarget {
  return {
    method: "POST",
    url: `${ctx.apiUrl}/trpc/${path}`,
    headers: { authorization: ctx.authorization, "content-type": "application/json" },
    ...(typeof input === "function"
      ? { dynamic: () => ({ body: JSON.stringify((input as () => unknown)()) }) }
      : { body: JSON.stringify(input) }),
  };
}

/**
 * A slash command as Slack sends it: form-encoded, signed `v0=hex(HMAC_SHA256(secret, "v0:ts:body"))`.
 * The timestamp is refreshed each request (Slack's receivers refuse ones older than 5 minutes), so the
 * signature is computed per request too, as Slack would.
 */
export function slashCommand(ctx: TargetContext, command: string, text: string): HttpTarget {
  if (!ctx.slackUrl) throw new Error("no slackbot running");
  let counter = 0;
  return {
    method: "POST",
    url: `${ctx.slackUrl}/slack/events`,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    dynamic: () => {
      counter++;
      const body = new URLSearchParams({
        token: "legacy-verification-token",
        team_id: ctx.slackTeamId,
        team_domain: "bench",
        channel_id: "CBENCH",
        channel_name: "bench",
        user_id: ctx.slackUserId,
        user_name: "bench",
        command,
        text,
        api_app_id: "ABENCH",
        is_enterprise_install: "false",
        response_url: `${ctx.fakeSlackUrl}/response/${counter}`,
        trigger_id: `${counter}.${Date.now()}.bench`,
      }).toString();
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = `v0=${createHmac("sha256", ctx.slackSigningSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
      return { body, headers: { "x-slack-request-timestamp": timestamp, "x-slack-signature": signature } };
    },
  };
}
