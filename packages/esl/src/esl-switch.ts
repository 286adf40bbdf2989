import { randomUUID } from "node:crypto";
import { Socket } from "node:net";
import { FreeSwitchError, FreeSwitchResponse, type FreeSwitchResponseLogger, FreeSwitchTimeout } from "esl";
import { Backoff, type BackoffOptions } from "./backoff.ts";
import { SwitchAuthError, SwitchOutcomeUnknownError, SwitchTimeoutError, UnsafeCommandValueError } from "./errors.ts";
import { parseJsonEvent, parsePlainEvent } from "./event-parser.ts";
import {
  type BackgroundJob,
  type CommandOptions,
  type Switch,
  SwitchCommandError,
  type SwitchEvent,
  SwitchUnavailableError,
} from "./switch.ts";

export interface SwitchEndpoint {
  host: string;
  port: number;
  password: string;
}

export interface SwitchConnectionOptions extends SwitchEndpoint {
  /** Default `host:port`. */
  name?: string;
  /** Time to reach the switch and get its greeting. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** Default timeout of `api`. Default 5000 ms. */
  apiTimeoutMs?: number;
  /** Default time a bgapi job may take. Default 30000 ms. */
  bgapiTimeoutMs?: number;
  /** Timeout of plain ESL commands (`auth`, `event`, `sendevent`, the bgapi acknowledgement). Default 5000 ms. */
  commandTimeoutMs?: number;
  /** Reconnect delays. Default 200 ms doubling up to 5 s. */
  backoff?: BackoffOptions;
  /** Format events are requested in. Default `json` (values arrive decoded, bodies intact). */
  eventFormat?: "json" | "plain";
  /** Receives the npm client's diagnostics. Default: silent. */
  logger?: FreeSwitchResponseLogger;
  /** Called on every state change. */
  onStateChange?: (state: SwitchState, error: Error | null) => void;
}

/**
 * `connecting`: an attempt is under way; `connected`: authenticated; `waiting`: the last attempt
 * failed, the next one is scheduled; `auth-failed`: password refused, final; `closed`: by us.
 */
export type SwitchState = "connecting" | "connected" | "waiting" | "auth-failed" | "closed";

const SILENT: FreeSwitchResponseLogger = { debug() {}, info() {}, error() {} };

/** Anything that ends a line would let a value start a second ESL command. */
function assertSingleLine(field: string, value: string): void {
  if (/[\r\n\0]/.test(value)) throw new UnsafeCommandValueError(field, "contains a line break or NUL");
}

/** Timeouts are always on: a missing one takes the default, a non-positive or infinite one is refused. */
function timeoutOrDefault(given: number | undefined, fallback: number): number {
  if (given === undefined) return fallback;
  if (!Number.isFinite(given) || given <= 0)
    throw new RangeError(`A timeout must be a positive number of ms, not ${given}`);
  return given;
}

function assertCommand(field: string, command: string): void {
  if (typeof command !== "string" || command.trim() === "") throw new UnsafeCommandValueError(field, "is empty");
  assertSingleLine(field, command);
}

interface PendingJob {
  command: string;
  resolve: (output: string) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

type Handler = (event: SwitchEvent) => void;

/** Whether a bgapi's bytes went to the socket; once abandoned (its caller was told "failed"), they never will. */
interface Sending {
  written: boolean;
  abandoned: boolean;
}

/** One FreeSWITCH over one long-lived event-socket connection, reconnecting with capped backoff. */
export class EslSwitch implements Switch {
  readonly name: string;
  private stateValue: SwitchState = "connecting";
  private lastErrorValue: Error | null = null;
  private call: FreeSwitchResponse | null = null;
  private socket: Socket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private replaceImmediately = false;
  private readonly backoff: Backoff;
  private readonly waiters = new Set<{ resolve: (call: FreeSwitchResponse) => void; reject: (error: Error) => void }>();
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly subscribed = new Set<string>();
  private readonly jobs = new Map<string, PendingJob>();
  /** Keyed by the header object handed to the npm client, which passes the same object to its write(). */
  private readonly sending = new WeakMap<object, Sending>();
  private readonly options: Required<Omit<SwitchConnectionOptions, "name" | "onStateChange" | "backoff">> &
    Pick<SwitchConnectionOptions, "onStateChange">;

  constructor(options: SwitchConnectionOptions) {
    this.name = options.name ?? `${options.host}:${options.port}`;
    this.options = {
      host: options.host,
      port: options.port,
      password: options.password,
      connectTimeoutMs: timeoutOrDefault(options.connectTimeoutMs, 5000),
      apiTimeoutMs: timeoutOrDefault(options.apiTimeoutMs, 5000),
      bgapiTimeoutMs: timeoutOrDefault(options.bgapiTimeoutMs, 30_000),
      commandTimeoutMs: timeoutOrDefault(options.commandTimeoutMs, 5000),
      eventFormat: options.eventFormat ?? "json",
      logger: options.logger ?? SILENT,
      onStateChange: options.onStateChange,
    };
    assertSingleLine("password", this.options.password);
    this.backoff = new Backoff(options.backoff);
    this.connect();
  }

  get connected(): boolean {
    return this.stateValue === "connected";
  }

  get state(): SwitchState {
    return this.stateValue;
  }

  /** Why the switch is not connected (null while connected). */
  get lastError(): Error | null {
    return this.lastErrorValue;
  }

  /** Resolves once authenticated; rejects at once if the switch is down, refused us, or was closed. */
  async ready(timeoutMs = this.options.connectTimeoutMs): Promise<void> {
    await this.readyCall(timeoutMs, "connect");
  }

  async api(command: string, options?: CommandOptions): Promise<string> {
    assertCommand("api command", command);
    const timeoutMs = timeoutOrDefault(options?.timeoutMs, this.options.apiTimeoutMs);
    const started = Date.now();
    const call = await this.readyCall(timeoutMs, command);
    const remaining = Math.max(1, timeoutMs - (Date.now() - started));

    const reply = call.api(command, remaining).then(
      (response) => response.body as unknown as string,
      (error: unknown) => {
        // A late api/response would be taken by the next api on this connection: replace it.
        if (error instanceof FreeSwitchTimeout) this.replaceConnection(call);
        throw this.translate(error, command, remaining);
      },
    );
    return await this.withDeadline(reply, remaining, command);
  }

  async bgapi(command: string, options?: CommandOptions): Promise<BackgroundJob> {
    assertCommand("bgapi command", command);
    const jobTimeoutMs = timeoutOrDefault(options?.timeoutMs, this.options.bgapiTimeoutMs);
    const call = await this.readyCall(this.options.commandTimeoutMs, command);
    let jobUuid: string = randomUUID();
    const result = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.jobs.delete(jobUuid);
        reject(new SwitchTimeoutError(this.name, `bgapi ${command}`, jobTimeoutMs));
      }, jobTimeoutMs);
      this.jobs.set(jobUuid, { command, resolve, reject, timer });
    });
    // The caller may never await the result; its rejection must not become an unhandled one.
    result.catch(() => {});

    let reply: Awaited<ReturnType<FreeSwitchResponse["send"]>>;
    const headers = { "Job-UUID": jobUuid };
    const sending: Sending = { written: false, abandoned: false };
    this.sending.set(headers, sending);
    try {
      reply = await this.withDeadline(
        call.send(`bgapi ${command}`, headers, this.options.commandTimeoutMs).catch((error: unknown) => {
          if (error instanceof FreeSwitchTimeout) this.replaceConnection(call);
          throw this.translate(error, `bgapi ${command}`, this.options.commandTimeoutMs);
        }),
        this.options.commandTimeoutMs,
        command,
      );
    } catch (error) {
      // Not yet written (queued behind another command): it never will be, so "failed" stays true.
      sending.abandoned = true;
      const outcome =
        sending.written && error instanceof SwitchUnavailableError
          ? new SwitchOutcomeUnknownError(this.name, command, jobUuid, error)
          : (error as Error);
      this.failJob(jobUuid, outcome);
      throw outcome;
    }
    const given = /\+OK Job-UUID: (\S+)/.exec(reply.headers["Reply-Text"] ?? "")?.[1] ?? reply.headers["Job-UUID"];
    if (given && given !== jobUuid) {
      // A switch that ignored our Job-UUID header: follow the one it chose.
      const job = this.jobs.get(jobUuid);
      this.jobs.delete(jobUuid);
      if (job) this.jobs.set(given, job);
      jobUuid = given;
    }
    return { jobUuid, result };
  }

  async sendEvent(name: string, headers: Record<string, string>, options?: CommandOptions): Promise<void> {
    if (!/^[A-Za-z0-9_]+$/.test(name)) throw new UnsafeCommandValueError("event name", "must be letters, digits or _");
    for (const [key, value] of Object.entries(headers)) {
      if (!/^[A-Za-z0-9_.-]+$/.test(key))
        throw new UnsafeCommandValueError(
          `header name ${JSON.stringify(key)}`,
          "must be letters, digits, '-', '_' or '.'",
        );
      if (key.toLowerCase() === "content-length")
        throw new UnsafeCommandValueError("header name", "Content-Length is not allowed");
      assertSingleLine(`header ${key}`, value);
    }
    const timeoutMs = timeoutOrDefault(options?.timeoutMs, this.options.commandTimeoutMs);
    const command = `sendevent ${name}`;
    const call = await this.readyCall(timeoutMs, command);
    const sent = call.send(command, headers, timeoutMs).catch((error: unknown) => {
      if (error instanceof FreeSwitchTimeout) this.replaceConnection(call);
      throw this.translate(error, command, timeoutMs);
    });
    await this.withDeadline(sent, timeoutMs, command);
  }

  onEvent(names: readonly string[], handler: (event: SwitchEvent) => void): () => void {
    for (const name of names) {
      if (!/^[A-Za-z0-9_]+(::[A-Za-z0-9_:.-]+)?$/.test(name))
        throw new UnsafeCommandValueError("event name", `'${name}'`);
    }
    const fresh: string[] = [];
    for (const name of names) {
      const key = name.includes("::") ? name : name.toUpperCase();
      let set = this.handlers.get(key);
      if (!set) {
        set = new Set();
        this.handlers.set(key, set);
      }
      set.add(handler);
      if (!this.subscribed.has(key)) {
        this.subscribed.add(key);
        fresh.push(key);
      }
    }
    if (fresh.length > 0 && this.call && this.stateValue === "connected") {
      this.subscribe(this.call, fresh).catch(() => {});
    }
    return () => {
      for (const name of names) this.handlers.get(name.includes("::") ? name : name.toUpperCase())?.delete(handler);
    };
  }

  /**
   * Drop the current connection and connect again at once (a connection that stopped delivering events,
   * e.g. no HEARTBEAT for too long). Pending commands fail with SwitchUnavailableError.
   */
  reconnect(): void {
    if (this.stateValue !== "connected" || !this.call) return;
    this.replaceConnection(this.call);
  }

  /** Stop reconnecting and close the connection; pending commands and jobs fail with SwitchUnavailableError. */
  async close(): Promise<void> {
    if (this.stateValue === "closed") return;
    this.setState("closed", new SwitchUnavailableError(this.name, `The connection to ${this.name} was closed`));
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.rejectWaiters();
    this.failAllJobs();
    const socket = this.socket;
    this.call = null;
    if (socket && !socket.destroyed) {
      socket.end();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          socket.destroy();
          resolve();
        }, 500);
        socket.once("close", () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  // Connection lifecycle

  private setState(state: SwitchState, error: Error | null): void {
    this.stateValue = state;
    this.lastErrorValue = error;
    this.options.onStateChange?.(state, error);
  }

  private connect(): void {
    if (this.stateValue === "closed" || this.stateValue === "auth-failed") return;
    this.retryTimer = null;
    const attempt = ++this.attempt;
    this.setState("connecting", this.lastErrorValue);
    const socket = new Socket();
    const call = new FreeSwitchResponse(socket, this.options.logger);
    this.socket = socket;
    this.call = null;
    let authRejected = false;

    const process = call.process.bind(call);
    call.process = (headers, body) => {
      const type = headers["Content-Type"];
      if (type === "text/event-json" || type === "text/event-plain") {
        if (attempt === this.attempt) this.onWireEvent(type, body);
        return;
      }
      if (type === "command/reply" && headers["Reply-Text"] === "-ERR invalid" && this.stateValue === "connecting") {
        authRejected = true;
      }
      if (type === "text/disconnect-notice" || type === "text/rude-rejection") {
        // FreeSWITCH closes right after; do not wait on a switch that does not.
        setTimeout(() => socket.destroy(), 1000).unref();
      }
      process(headers, body);
    };
    const write = call.write.bind(call);
    call.write = (command, args) => {
      const sending = this.sending.get(args);
      if (sending?.abandoned)
        return Promise.reject(new Error(`'${command.split(" ")[0]}' was given up before it was sent`));
      // The npm client writes to the socket synchronously inside write() unless the connection is closed.
      if (sending && !call.closed) sending.written = true;
      return write(command, args);
    };
    socket.once("close", () => this.onClosed(attempt, authRejected));
    // Notice a silently vanished switch host sooner than the OS default of two hours.
    socket.setKeepAlive(true, 15_000);
    socket.connect({ host: this.options.host, port: this.options.port });

    void (async () => {
      try {
        await call.onceAsync("freeswitch_auth_request", this.options.connectTimeoutMs, "greeting");
        await call.send(`auth ${this.options.password}`, {}, this.options.commandTimeoutMs);
        await this.subscribe(call, ["BACKGROUND_JOB", ...this.subscribed]);
        if (attempt !== this.attempt || this.stateValue !== "connecting") return;
        this.call = call;
        this.backoff.reset();
        this.setState("connected", null);
        for (const waiter of this.waiters) waiter.resolve(call);
        this.waiters.clear();
      } catch (error) {
        if (attempt !== this.attempt) return;
        if (authRejected) {
          this.authFailed();
        } else {
          this.lastErrorValue = new SwitchUnavailableError(
            this.name,
            `FreeSWITCH at ${this.name}: ${this.describe(error)}`,
          );
        }
        socket.destroy();
      }
    })();
  }

  private authFailed(): void {
    if (this.stateValue === "auth-failed") return;
    this.setState("auth-failed", new SwitchAuthError(this.name));
    this.rejectWaiters();
  }

  private onClosed(attempt: number, authRejected: boolean): void {
    if (attempt !== this.attempt) return;
    this.call = null;
    this.socket = null;
    this.failAllJobs();
    if (authRejected) this.authFailed();
    if (this.stateValue === "closed" || this.stateValue === "auth-failed") return;
    const error =
      this.stateValue === "connected" || !this.lastErrorValue
        ? new SwitchUnavailableError(this.name, `The connection to FreeSWITCH at ${this.name} was lost`)
        : this.lastErrorValue;
    if (this.replaceImmediately) {
      this.replaceImmediately = false;
      this.lastErrorValue = error;
      this.connect();
      return;
    }
    this.setState("waiting", error);
    this.rejectWaiters();
    this.retryTimer = setTimeout(() => this.connect(), this.backoff.next());
  }

  /** Drop a connection that may still deliver a late reply, and connect again at once. */
  private replaceConnection(call: FreeSwitchResponse): void {
    if (this.call !== call && this.call !== null) return;
    if (this.stateValue !== "connected") return;
    this.replaceImmediately = true;
    this.call = null;
    this.setState("connecting", new SwitchUnavailableError(this.name, "Replacing the connection after a timeout"));
    this.socket?.destroy();
  }

  private readyCall(timeoutMs: number, command: string): Promise<FreeSwitchResponse> {
    if (this.stateValue === "connected" && this.call) return Promise.resolve(this.call);
    if (this.stateValue === "auth-failed") return Promise.reject(new SwitchAuthError(this.name));
    if (this.stateValue !== "connecting") {
      return Promise.reject(
        this.lastErrorValue instanceof SwitchUnavailableError
          ? this.lastErrorValue
          : new SwitchUnavailableError(this.name, `FreeSWITCH at ${this.name} is not connected`),
      );
    }
    return new Promise<FreeSwitchResponse>((resolve, reject) => {
      const waiter = {
        resolve: (call: FreeSwitchResponse) => {
          clearTimeout(timer);
          resolve(call);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new SwitchTimeoutError(this.name, command, timeoutMs));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private rejectWaiters(): void {
    const error =
      this.lastErrorValue instanceof SwitchUnavailableError
        ? this.lastErrorValue
        : new SwitchUnavailableError(this.name, `FreeSWITCH at ${this.name} is not connected`);
    for (const waiter of this.waiters) waiter.reject(error);
    this.waiters.clear();
  }

  private async subscribe(call: FreeSwitchResponse, names: string[]): Promise<void> {
    const format = this.options.eventFormat;
    const plainNames = [...new Set(names.filter((n) => !n.includes("::") && n !== "CUSTOM"))];
    const subclasses = [...new Set(names.filter((n) => n.includes("::")))];
    // One command; CUSTOM last, since FreeSWITCH reads every word after it as a subclass.
    const words = [...plainNames, ...(subclasses.length > 0 ? ["CUSTOM", ...subclasses] : [])];
    if (words.length > 0) await call.send(`event ${format} ${words.join(" ")}`, {}, this.options.commandTimeoutMs);
  }

  // Events and jobs

  private onWireEvent(type: string, payload: string): void {
    let event: SwitchEvent;
    try {
      event = type === "text/event-json" ? parseJsonEvent(payload) : parsePlainEvent(payload);
    } catch {
      return;
    }
    if (event.name === "BACKGROUND_JOB") this.settleJob(event);
    const targets = new Set<Handler>([
      ...(this.handlers.get(event.name) ?? []),
      ...(this.handlers.get("ALL") ?? []),
      ...(event.name === "CUSTOM" ? (this.handlers.get(event.headers["Event-Subclass"] ?? "") ?? []) : []),
    ]);
    for (const handler of targets) {
      try {
        handler(event);
      } catch (error) {
        this.options.logger.error("Switch event handler threw", { ref: this.name, error });
      }
    }
  }

  private settleJob(event: SwitchEvent): void {
    const jobUuid = event.headers["Job-UUID"];
    if (!jobUuid) return;
    const job = this.jobs.get(jobUuid);
    if (!job) return;
    this.jobs.delete(jobUuid);
    clearTimeout(job.timer);
    const output = event.body ?? "";
    if (output.startsWith("-")) job.reject(new SwitchCommandError(job.command, output));
    else job.resolve(output);
  }

  private failJob(jobUuid: string, error: Error): void {
    const job = this.jobs.get(jobUuid);
    if (!job) return;
    this.jobs.delete(jobUuid);
    clearTimeout(job.timer);
    job.reject(error);
  }

  private failAllJobs(): void {
    for (const jobUuid of [...this.jobs.keys()]) {
      this.failJob(
        jobUuid,
        new SwitchUnavailableError(
          this.name,
          `The connection to ${this.name} was lost before the background job finished`,
        ),
      );
    }
  }

  // Errors

  private async withDeadline<T>(promise: Promise<T>, timeoutMs: number, command: string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SwitchTimeoutError(this.name, command, timeoutMs)), timeoutMs + 50);
    });
    promise.catch(() => {});
    try {
      return await Promise.race([promise, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The npm client rejects `-ERR` with an empty message and the reply in `args.reply`. */
  private translate(error: unknown, command: string, timeoutMs: number): Error {
    if (error instanceof FreeSwitchError) {
      const reply = error.args["reply"];
      if (typeof reply === "string") return new SwitchCommandError(command, reply);
      return new SwitchUnavailableError(
        this.name,
        `FreeSWITCH at ${this.name}: ${String(error.args["when"] ?? "error")}`,
      );
    }
    if (error instanceof FreeSwitchTimeout) return new SwitchTimeoutError(this.name, command, timeoutMs);
    return new SwitchUnavailableError(
      this.name,
      `Lost FreeSWITCH at ${this.name} during '${command.split(" ")[0]}': ${this.describe(error)}`,
    );
  }

  private describe(error: unknown): string {
    if (error instanceof FreeSwitchTimeout) return `no answer within ${error.timeout} ms`;
    if (error instanceof FreeSwitchError) return String(error.args["reply"] ?? error.args["when"] ?? "error");
    if (error instanceof Error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code ? `cannot reach it (${code})` : error.message;
    }
    return String(error);
  }
}

/** Connect to one FreeSWITCH. Returns at once; the connection is made in the background. */
export function connectSwitch(options: SwitchConnectionOptions): EslSwitch {
  return new EslSwitch(options);
}
