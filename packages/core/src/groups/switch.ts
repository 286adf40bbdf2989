import type { AnyAction } from "../action.ts";
import { callHangup } from "../actions/call-hangup.ts";
import { callStatus } from "../actions/call-status.ts";
import { callcenterAgents } from "../actions/callcenter-agents.ts";
import { callcenterQueue } from "../actions/callcenter-queue.ts";
import { callcenterQueueSize } from "../actions/callcenter-queuesize.ts";
import { channelList } from "../actions/channel-list.ts";
import { channelStatus } from "../actions/channel-status.ts";
import { originate } from "../actions/originate.ts";
import { originatePlaybackFile } from "../actions/originate-playback-file.ts";
import { registrations } from "../actions/registrations.ts";

/** Actions that talk to FreeSWITCH: the deleted ones users relied on, async calls and call status. */
export const switchActions = [
  originate,
  callStatus,
  callHangup,
  originatePlaybackFile,
  channelStatus,
  channelList,
  registrations,
  callcenterQueue,
  callcenterQueueSize,
  callcenterAgents,
] as const satisfies readonly AnyAction[];
