import { SwitchUnavailableError } from "./switch.ts";

/** The switch refused our password (`-ERR invalid`). Final: the client stops reconnecting until the config changes. */
export class SwitchAuthError extends SwitchUnavailableError {
  constructor(switchName: string) {
    super(switchName, `FreeSWITCH at ${switchName} refused the event-socket password (-ERR invalid); not retrying`);
    this.name = "SwitchAuthError";
  }
}

/** No reply in time. After an `api` timeout the connection is dropped and replaced. */
export class SwitchTimeoutError extends SwitchUnavailableError {
  readonly command: string;
  readonly timeoutMs: number;
  constructor(switchName: string, command: string, timeoutMs: number) {
    super(switchName, `FreeSWITCH at ${switchName} did not answer '${command.split(" ")[0]}' within ${timeoutMs} ms`);
    this.name = "SwitchTimeoutError";
    this.command = command;
    this.timeoutMs = timeoutMs;
  }
}

/** A value that would change the meaning of a FreeSWITCH command (a newline, a quote, a separator…). */
export class UnsafeCommandValueError extends Error {
  readonly field: string;
  constructor(field: string, reason: string) {
    super(`Unsafe value for ${field}: ${reason}`);
    this.name = "UnsafeCommandValueError";
    this.field = field;
  }
}
