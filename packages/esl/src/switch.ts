/**
 * The contract the rest of Switchboard codes against. `packages/esl` implements it over real sockets
 * (the npm `esl` client) and the fake switch in `./testing` speaks the same wire protocol.
 */

/** A parsed FreeSWITCH event (plain or json on the wire), header names as FreeSWITCH sends them. */
export interface SwitchEvent {
  name: string;
  headers: Record<string, string>;
  body?: string;
}

export interface CommandOptions {
  /** Always on; default 5000 ms for api, 30000 ms for a bgapi job. */
  timeoutMs?: number;
}

export interface BackgroundJob {
  jobUuid: string;
  /** Resolves with the job's output text (`+OK <uuid>\n`); rejects with SwitchCommandError on `-ERR`. */
  result: Promise<string>;
}

/** One FreeSWITCH, reached through one long-lived event-socket connection. */
export interface Switch {
  /** `host:port`, as configured. */
  readonly name: string;
  /** True while authenticated and connected. */
  readonly connected: boolean;
  /** `api <command>`: the reply body. A `-ERR …`/`-USAGE …` body rejects with SwitchCommandError. */
  api(command: string, options?: CommandOptions): Promise<string>;
  /** `bgapi <command>`: the Job-UUID at once, the output when the BACKGROUND_JOB event arrives. */
  bgapi(command: string, options?: CommandOptions): Promise<BackgroundJob>;
  /** `sendevent <name>` with headers (FusionPBX's cache-clear CUSTOM event). */
  sendEvent(name: string, headers: Record<string, string>, options?: CommandOptions): Promise<void>;
  /** Subscribe to events by name (`CHANNEL_ANSWER`, `CHANNEL_HANGUP_COMPLETE`, …); returns an unsubscribe. */
  onEvent(names: readonly string[], handler: (event: SwitchEvent) => void): () => void;
}

export interface BroadcastResult {
  switch: string;
  ok: boolean;
  reply?: string;
  error?: string;
}

export interface SwitchHealth {
  switch: string;
  up: boolean;
  latencyMs: number | null;
  error?: string;
}

/** Every FreeSWITCH of the install (a FusionPBX cluster has several). */
export interface SwitchPool {
  readonly switches: readonly Switch[];
  /** The switch calls go to: the first healthy one (or as configured). Throws SwitchUnavailableError if none. */
  forCalls(): Switch;
  /** The same `api` command on every switch; never throws, reports each. */
  broadcast(command: string, options?: CommandOptions): Promise<BroadcastResult[]>;
  /** The same `sendevent` on every switch; never throws, reports each. */
  broadcastEvent(name: string, headers: Record<string, string>, options?: CommandOptions): Promise<BroadcastResult[]>;
  health(): Promise<SwitchHealth[]>;
  close(): Promise<void>;
}

/** FreeSWITCH answered `-ERR <cause>` (or `-USAGE`): the cause is `USER_BUSY`, `NO_ANSWER`, `Command not found`… */
export class SwitchCommandError extends Error {
  override readonly cause: string;
  readonly reply: string;
  readonly command: string;
  constructor(command: string, reply: string) {
    const text = reply.trim();
    const cause = text.replace(/^-(ERR|USAGE):?\s*/, "").trim() || text;
    super(`FreeSWITCH refused '${command.split(" ")[0]}': ${text}`);
    this.name = "SwitchCommandError";
    this.cause = cause;
    this.reply = text;
    this.command = command;
  }
}

/** The switch could not be reached, refused our password, or did not answer in time. */
export class SwitchUnavailableError extends Error {
  readonly switchName: string;
  constructor(switchName: string, message: string) {
    super(message);
    this.name = "SwitchUnavailableError";
    this.switchName = switchName;
  }
}
