/** The Slack app's logger: the runtime's structured logger (pino), one JSON object per line. */
export { type Logger, silentLogger } from "@switchboard/runtime";
