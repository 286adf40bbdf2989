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
export {
  DEFAULT_SWITCH,
  parseConfigConf,
  parseHostList,
  type ResolvedSwitchConfig,
  type ResolveSwitchConfigOptions,
  resolveSwitchConfig,
  SwitchConfigError,
  type SwitchConfigSource,
  type SqlHandle,
} from "./config.ts";
export * from "./commands/index.ts";
export {
  CALL_EVENT_NAMES,
  type CallEventName,
  type ChannelEvent,
  readBackgroundJob,
  readChannelEvent,
} from "./channel-events.ts";
export {
  connectEvents,
  EventConnection,
  type EventConnectionOptions,
  PBX_EVENT_NAMES,
} from "./event-connection.ts";
