import { requireMatch, checkUuid } from "./escape.ts";

/** `reloadxml`: note a broken XML still answers `+OK [<error>]`; see parseReloadxml. */
export function reloadxmlCommand(): string {
  return "reloadxml";
}

/** `reloadacl`. */
export function reloadaclCommand(): string {
  return "reloadacl";
}

/** `uuid_kill <uuid> [CAUSE]`. */
export function uuidKillCommand(channelUuid: string, cause?: string): string {
  const id = checkUuid("uuid", channelUuid);
  if (cause === undefined) return `uuid_kill ${id}`;
  return `uuid_kill ${id} ${requireMatch("cause", cause, /^[A-Z_]{1,40}$/, "a hangup cause such as NORMAL_CLEARING")}`;
}

/** `uuid_exists <uuid>`: the reply is `true` / `false`. */
export function uuidExistsCommand(channelUuid: string): string {
  return `uuid_exists ${checkUuid("uuid", channelUuid)}`;
}
