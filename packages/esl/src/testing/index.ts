export * from "./fake-switch.ts";
export type { OriginateOutcome, OriginateMatch, OriginateRequest } from "./fake-originate.ts";
export { parseOriginate, separateArguments, parseVariableBlock } from "./fake-originate.ts";
export type { ChannelRow, RegistrationRow, AgentRow, MemberRow, TierRow } from "./fake-tables.ts";
export { showJson, showCsv, pipeTable } from "./fake-tables.ts";
export type { CallCenterState } from "./fake-callcenter.ts";
export {
  apiResponseFrame,
  authRequestFrame,
  commandReplyFrame,
  disconnectNoticeFrame,
  eventFrame,
  serializeJsonEvent,
  serializePlainEvent,
  switchUrlEncode,
  DISCONNECT_GOODBYE,
  DISCONNECT_SHUTDOWN,
  type ReceivedCommand,
  type HeaderList,
  type EventFormat,
} from "./wire.ts";
export { rawConnect, type RawClient } from "./raw-client.ts";
export type { SofiaProfile } from "./fake-sofia.ts";
export {
  FakeCall,
  type FakeCallOptions,
  type FakeDomain,
  type FakeLegOptions,
  FakePbx,
  type FakePhone,
  fakePbx,
} from "./fake-pbx-events.ts";
