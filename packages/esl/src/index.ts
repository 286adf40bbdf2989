export * from "./switch.ts";
export * from "./errors.ts";
export { Backoff, type BackoffOptions } from "./backoff.ts";
export { parseJsonEvent, parsePlainEvent, switchUrlDecode } from "./event-parser.ts";
export {
  connectSwitch,
  EslSwitch,
  type SwitchConnectionOptions,
  type SwitchEndpoint,
  type SwitchState,
} from "./esl-switch.ts";
export { createSwitchPool, EslSwitchPool, type SwitchPoolConfig } from "./pool.ts";
