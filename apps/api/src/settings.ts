import {
  flagSetting,
  integerSetting,
  logLevelSetting,
  optionalSetting,
  parseSettings,
  urlSetting,
} from "@switchboard/runtime";
import { z } from "zod";
import { parseTrustedProxies } from "./middleware/client-address.ts";

/** Every API setting read from the environment (the database and switches are packages/db's and packages/esl's). */
export const apiSettingsSchema = z
  .object({
    PORT: integerSetting(3000, 0, 65535),
    /** Explicit HOST, or null to decide after connecting (loopback for the embedded demo, 0.0.0.0 otherwise). */
    HOST: optionalSetting(),
    /** The URL clients reach the API at, shown in the docs page and openapi.json instead of the request's Host. */
    PUBLIC_URL: urlSetting(),
    SWITCHBOARD_REQUIRE_POLICY: flagSetting(),
    SWITCHBOARD_MAX_BODY_BYTES: integerSetting(1024 * 1024, 1024, 100 * 1024 * 1024),
    SWITCHBOARD_MAX_BATCH: integerSetting(10, 1, 100),
    /** Proxies whose X-Forwarded-For names the client: addresses or CIDR ranges. */
    TRUSTED_PROXIES: z
      .string()
      .optional()
      .transform((raw, ctx) => {
        try {
          return parseTrustedProxies(raw);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: (error as Error).message.replace(/^TRUSTED_PROXIES: /, "has ") });
          return z.NEVER;
        }
      }),
    LOG_LEVEL: logLevelSetting(),
  })
  .transform((env) => ({
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL,
    requirePolicy: env.SWITCHBOARD_REQUIRE_POLICY,
    maxBodyBytes: env.SWITCHBOARD_MAX_BODY_BYTES,
    maxBatchSize: env.SWITCHBOARD_MAX_BATCH,
    trustedProxies: env.TRUSTED_PROXIES,
    logLevel: env.LOG_LEVEL,
  }));

export type ServerSettings = z.output<typeof apiSettingsSchema>;

export function readSettings(env: Record<string, string | undefined> = process.env): ServerSettings {
  return parseSettings(apiSettingsSchema, env);
}

/** HOST default: the embedded demo (with its well-known demo key) is only ever reachable from this machine. */
export function defaultHost(embedded: boolean): string {
  return embedded ? "127.0.0.1" : "0.0.0.0";
}
