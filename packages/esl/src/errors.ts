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

/**
 * The command was written to the switch, but no reply came (it timed out or the connection went away):
 * the switch may still run it — a stalled FreeSWITCH reads its socket when it resumes. Its outcome is
 * unknown, never "not done". A command that was never written fails with a plain SwitchUnavailableError.
 */
export class SwitchOutcomeUnknownError extends SwitchUnavailableError {
  readonly command: string;
  /** The Job-UUID the command was sent with. */
  readonly jobUuid: string;
  constructor(switchName: string, command: string, jobUuid: string, reason: Error) {
    super(
      switchName,
      `FreeSWITCH at ${switchName} received '${command.split(" ")[0]}' but did not confirm it (${reason.message}); it may still run`,
    );
    this.name = "SwitchOutcomeUnknownError";
    this.command = command;
    this.jobUuid = jobUuid;
  }
}
