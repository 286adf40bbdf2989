import { randomUUID } from "node:crypto";
import type { Socket } from "node:net";
import {
  apiResponseFrame,
  authRequestFrame,
  CommandReader,
  commandReplyFrame,
  DISCONNECT_GOODBYE,
  disconnectNoticeFrame,
  type EventFormat,
  eventFrame,
  type HeaderList,
  type ReceivedCommand,
} from "./wire.ts";

/** An event inside the fake switch, before it is serialized for one connection. */
export interface FakeEvent {
  name: string;
  subclass?: string;
  headers: HeaderList;
  body?: string;
}

/** What a connection needs from the switch it belongs to. */
export interface ConnectionHost {
  readonly password: string;
  readonly authTimeoutMs: number;
  /** True while the switch is stalled (see FakeSwitch.stall): a new connection starts stalled too. */
  readonly stalled: boolean;
  record(command: ReceivedCommand): void;
  runApi(command: string): Promise<string>;
  startBackgroundJob(command: string, jobUuid: string): void;
  sendEvent(name: string, headers: Array<[string, string]>, body: string): string;
  channelExists(uuid: string): boolean;
  detach(connection: FakeConnection): void;
}

interface Filter {
  header: string;
  value: string;
}

const LOG_LEVELS: Record<string, number> = {
  console: 0,
  alert: 1,
  crit: 2,
  err: 3,
  warning: 4,
  notice: 5,
  info: 6,
  debug: 7,
};

/** One inbound event-socket connection: strictly serial command handling, events only between replies. */
export class FakeConnection {
  readonly id = randomUUID();
  authenticated = false;
  private format: EventFormat = "plain";
  private listening = false;
  private readonly events = new Set<string>();
  private readonly subclasses = new Set<string>();
  private allEvents = false;
  private myEventsUuid: string | null = null;
  private filters: Filter[] = [];
  private logging = false;
  private readonly reader = new CommandReader();
  private readonly queue: ReceivedCommand[] = [];
  private readonly backlog: FakeEvent[] = [];
  private busy = false;
  private closing = false;
  private authTimer: ReturnType<typeof setTimeout> | null = null;
  /** While stalled: the bytes received and the bytes to send, both untouched until resume(). */
  private held: { received: Buffer[]; toSend: string[] } | null = null;
  /** The client closed its side while we were stalled; we notice once resumed, as a stopped process would. */
  private peerGone = false;

  constructor(
    readonly socket: Socket,
    private readonly host: ConnectionHost,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (data: Buffer) => this.onData(data));
    socket.on("error", () => {});
    socket.on("close", () => {
      if (this.held) {
        this.peerGone = true;
        return;
      }
      this.finishClose();
    });
    if (host.stalled) this.stall();
    this.write(authRequestFrame());
    this.armAuthTimer();
  }

  /** Stop reading and writing (SIGSTOP): bytes from the client wait, unread, and nothing is sent. */
  stall(): void {
    this.held ??= { received: [], toSend: [] };
  }

  /**
   * Carry on (SIGCONT): send what was waiting, then read and run every command received meanwhile, in
   * order, even from a client that has since hung up (replies to it go nowhere; what the commands do happens).
   */
  resume(): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    for (const text of held.toSend) this.write(text);
    for (const chunk of held.received) this.onData(chunk);
    if (this.peerGone && !this.busy) this.finishClose();
  }

  private finishClose(): void {
    this.closing = true;
    this.clearAuthTimer();
    this.host.detach(this);
  }

  private armAuthTimer(): void {
    this.authTimer = setTimeout(() => {
      if (this.held) this.armAuthTimer();
      else this.close(DISCONNECT_GOODBYE);
    }, this.host.authTimeoutMs);
  }

  /** Queue an event for this connection if its subscriptions and filters let it through. */
  deliver(event: FakeEvent): void {
    if (!this.authenticated || !this.wants(event)) return;
    this.backlog.push(event);
    if (!this.busy) this.flushEvents();
  }

  /** Send a disconnect-notice and close, as FreeSWITCH does on exit, bad password or shutdown. */
  close(noticeBody: string): void {
    if (this.closing) return;
    this.held = null;
    this.closing = true;
    this.clearAuthTimer();
    this.write(disconnectNoticeFrame(noticeBody));
    this.socket.end();
  }

  /** Cut the TCP connection with no notice (a crash or a network failure). */
  drop(): void {
    this.held = null;
    this.closing = true;
    this.clearAuthTimer();
    this.socket.destroy();
  }

  private clearAuthTimer(): void {
    if (this.authTimer) clearTimeout(this.authTimer);
    this.authTimer = null;
  }

  private write(text: string): void {
    if (this.held) {
      this.held.toSend.push(text);
      return;
    }
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(text);
  }

  private onData(data: Buffer): void {
    if (this.closing) return;
    if (this.held) {
      this.held.received.push(data);
      return;
    }
    this.reader.push(data);
    for (;;) {
      const result = this.reader.next();
      if (result.kind === "incomplete") break;
      if (result.kind === "oversize") {
        this.drop();
        return;
      }
      this.clearAuthTimer();
      this.host.record(result.command);
      this.queue.push(result.command);
    }
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length > 0 && !this.closing) {
        const command = this.queue.shift()!;
        await this.handle(command);
        if (!this.closing) this.flushEvents();
      }
    } finally {
      this.busy = false;
      if (this.peerGone && !this.held) this.finishClose();
    }
  }

  private flushEvents(): void {
    while (this.backlog.length > 0 && !this.closing) {
      const event = this.backlog.shift()!;
      this.write(eventFrame(this.format, event.headers, event.body));
    }
  }

  private reply(text: string, extra: HeaderList = []): void {
    this.write(commandReplyFrame(text, extra));
  }

  private async handle(command: ReceivedCommand): Promise<void> {
    const line = command.line;
    const lower = line.toLowerCase();

    if (lower === "exit" || lower === "...") {
      this.reply("+OK bye");
      this.close(DISCONNECT_GOODBYE);
      return;
    }
    if (lower.startsWith("auth ")) {
      if (line.slice(5).replace(/[\r\n].*$/s, "") === this.host.password) {
        this.authenticated = true;
        this.reply("+OK accepted");
      } else {
        this.reply("-ERR invalid");
        this.close(DISCONNECT_GOODBYE);
      }
      return;
    }
    if (!this.authenticated) {
      this.reply("-ERR command not found");
      return;
    }

    if (lower.startsWith("api ")) {
      const body = await this.host.runApi(line.slice(4));
      if (!this.closing) this.write(apiResponseFrame(body));
      return;
    }
    if (lower.startsWith("bgapi ")) {
      const given = command.headers.find(([name]) => name.toLowerCase() === "job-uuid")?.[1];
      const jobUuid = given && given.length > 0 ? given : randomUUID();
      this.reply(`+OK Job-UUID: ${jobUuid}`, [["Job-UUID", jobUuid]]);
      this.host.startBackgroundJob(line.slice(6), jobUuid);
      return;
    }
    if (lower.startsWith("event")) return this.subscribe(line);
    if (lower.startsWith("nixevent")) return this.nix(line);
    if (lower === "noevents") {
      if (!this.listening) return this.reply("-ERR not listening for events");
      this.listening = false;
      this.events.clear();
      this.subclasses.clear();
      this.allEvents = false;
      this.backlog.length = 0;
      return this.reply("+OK no longer listening for events");
    }
    if (lower.startsWith("filter")) return this.filter(line);
    if (lower.startsWith("myevents")) return this.myEvents(line);
    if (lower.startsWith("sendevent")) {
      const name = line.slice("sendevent".length).trim() || "CUSTOM";
      const uuid = this.host.sendEvent(name, command.headers, command.body);
      return this.reply(`+OK ${uuid}`);
    }
    if (lower.startsWith("sendmsg")) {
      const uuid = line.slice("sendmsg".length).trim();
      if (uuid && this.host.channelExists(uuid)) return this.reply("+OK");
      return this.reply(`-ERR invalid session id [${uuid}]`);
    }
    if (lower === "nolog") {
      if (!this.logging) return this.reply("-ERR not loging");
      this.logging = false;
      return this.reply("+OK no longer logging");
    }
    if (lower === "log" || lower.startsWith("log ")) {
      const level = line.slice(3).trim();
      if (level === "") {
        this.logging = true;
        return this.reply("+OK log level  [7]");
      }
      const numeric = /^\d+$/.test(level) ? Number(level) : LOG_LEVELS[level.toLowerCase()];
      if (numeric === undefined || numeric > 7) return this.reply("-ERR invalid log level");
      this.logging = true;
      return this.reply(`+OK log level ${level} [${numeric}]`);
    }
    if (lower.startsWith("linger") || lower.startsWith("nolinger")) {
      return this.reply("-ERR not controlling a session");
    }
    this.reply("-ERR command not found");
  }

  private subscribe(line: string): void {
    const tokens = line.split(/\s+/).slice(1).filter(Boolean);
    const first = tokens[0]?.toLowerCase();
    if (first === "plain" || first === "json" || first === "xml") {
      this.format = first;
      tokens.shift();
    }
    let added = 0;
    let custom = false;
    for (const token of tokens) {
      if (custom) {
        this.subclasses.add(token);
        added++;
        continue;
      }
      const name = token.toUpperCase().replace(/^SWITCH_EVENT_/, "");
      if (name === "CUSTOM") {
        custom = true;
        this.events.add(name);
        added++;
      } else if (name === "ALL") {
        this.allEvents = true;
        added++;
      } else if (KNOWN_EVENTS.has(name)) {
        this.events.add(name);
        added++;
      }
    }
    if (added === 0) {
      this.reply("-ERR no keywords supplied");
      return;
    }
    this.listening = true;
    this.reply(`+OK event listener enabled ${this.format}`);
  }

  private nix(line: string): void {
    const tokens = line.split(/\s+/).slice(1).filter(Boolean);
    let removed = 0;
    let custom = false;
    for (const token of tokens) {
      if (custom) {
        if (this.subclasses.delete(token)) removed++;
        continue;
      }
      const name = token.toUpperCase().replace(/^SWITCH_EVENT_/, "");
      if (name === "CUSTOM") custom = true;
      if (name === "ALL") {
        this.allEvents = false;
        this.events.clear();
        removed++;
      } else if (KNOWN_EVENTS.has(name)) {
        this.events.delete(name);
        removed++;
      }
    }
    if (removed === 0) {
      this.reply("-ERR no keywords supplied");
      return;
    }
    this.reply("+OK events nixed");
  }

  private filter(line: string): void {
    let rest = line.replace(/^filter\s*/i, "");
    let deleting = false;
    if (/^delete(\s|$)/i.test(rest)) {
      deleting = true;
      rest = rest.replace(/^delete\s*/i, "");
    } else if (/^add\s/i.test(rest)) {
      rest = rest.replace(/^add\s*/i, "");
    }
    const space = rest.indexOf(" ");
    const header = space < 0 ? rest : rest.slice(0, space);
    const value = space < 0 ? "" : rest.slice(space + 1);
    if (deleting) {
      if (header === "") {
        this.reply("-ERR invalid syntax");
        return;
      }
      if (header.toLowerCase() === "all") this.filters = [];
      else this.filters = this.filters.filter((f) => f.header !== header || (value !== "" && f.value !== value));
      this.reply(`+OK filter deleted. [${header}][${value}]`);
      return;
    }
    if (header === "" || value === "") {
      this.reply("-ERR invalid syntax");
      return;
    }
    this.filters.push({ header, value });
    this.reply(`+OK filter added. [${header}]=[${value}]`);
  }

  private myEvents(line: string): void {
    const [, uuid, format] = line.split(/\s+/);
    if (this.myEventsUuid) {
      this.reply("-ERR aready enabled.");
      return;
    }
    if (!uuid) {
      this.reply("-ERR invalid uuid");
      return;
    }
    const lowerFormat = format?.toLowerCase();
    if (lowerFormat && !this.host.channelExists(uuid)) {
      this.reply("-ERR invalid uuid");
      return;
    }
    if (lowerFormat === "plain" || lowerFormat === "json" || lowerFormat === "xml") this.format = lowerFormat;
    this.myEventsUuid = uuid;
    this.listening = true;
    this.reply("+OK Events Enabled");
  }

  private wants(event: FakeEvent): boolean {
    const header = (name: string) => event.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
    let subscribed = false;
    if (this.allEvents) subscribed = true;
    else if (this.events.has(event.name)) {
      subscribed = event.name !== "CUSTOM" || !event.subclass || this.subclasses.has(event.subclass);
    } else if (this.myEventsUuid && header("Unique-ID") === this.myEventsUuid) subscribed = true;
    if (!subscribed) return false;
    if (this.filters.length === 0) return true;

    let send = false;
    for (const filter of this.filters) {
      const actual = header(filter.header);
      if (actual === undefined) continue;
      let expected = filter.value;
      let positive = true;
      if (expected.startsWith("-")) {
        positive = false;
        expected = expected.slice(1);
      } else if (expected.startsWith("+")) {
        expected = expected.slice(1);
      }
      const matches = expected.startsWith("/")
        ? safeRegex(expected.slice(1).replace(/\/$/, ""))?.test(actual) === true
        : actual.toLowerCase() === expected.toLowerCase();
      if (matches && !positive) return false;
      if (matches) send = true;
    }
    return send;
  }
}

function safeRegex(source: string): RegExp | null {
  try {
    return new RegExp(source);
  } catch {
    return null;
  }
}

/** FreeSWITCH's event names (switch_event.c EVENT_NAMES); unknown names are silently ignored. */
export const KNOWN_EVENTS = new Set(
  (
    "CUSTOM CLONE CHANNEL_CREATE CHANNEL_DESTROY CHANNEL_STATE CHANNEL_CALLSTATE CHANNEL_ANSWER CHANNEL_HANGUP " +
    "CHANNEL_HANGUP_COMPLETE CHANNEL_EXECUTE CHANNEL_EXECUTE_COMPLETE CHANNEL_HOLD CHANNEL_UNHOLD CHANNEL_BRIDGE " +
    "CHANNEL_UNBRIDGE CHANNEL_PROGRESS CHANNEL_PROGRESS_MEDIA CHANNEL_OUTGOING CHANNEL_PARK CHANNEL_UNPARK " +
    "CHANNEL_APPLICATION CHANNEL_ORIGINATE CHANNEL_UUID API LOG INBOUND_CHAN OUTBOUND_CHAN STARTUP SHUTDOWN PUBLISH " +
    "UNPUBLISH TALK NOTALK SESSION_CRASH MODULE_LOAD MODULE_UNLOAD DTMF MESSAGE PRESENCE_IN NOTIFY_IN PRESENCE_OUT " +
    "PRESENCE_PROBE MESSAGE_WAITING MESSAGE_QUERY ROSTER CODEC BACKGROUND_JOB DETECTED_SPEECH DETECTED_TONE " +
    "PRIVATE_COMMAND HEARTBEAT TRAP ADD_SCHEDULE DEL_SCHEDULE EXE_SCHEDULE RE_SCHEDULE RELOADXML NOTIFY " +
    "PHONE_FEATURE PHONE_FEATURE_SUBSCRIBE SEND_MESSAGE RECV_MESSAGE REQUEST_PARAMS CHANNEL_DATA GENERAL COMMAND " +
    "SESSION_HEARTBEAT CLIENT_DISCONNECTED SERVER_DISCONNECTED SEND_INFO RECV_INFO RECV_RTCP_MESSAGE " +
    "SEND_RTCP_MESSAGE CALL_SECURE NAT RECORD_START RECORD_STOP PLAYBACK_START PLAYBACK_STOP CALL_UPDATE FAILURE " +
    "SOCKET_DATA MEDIA_BUG_START MEDIA_BUG_STOP CONFERENCE_DATA_QUERY CONFERENCE_DATA CALL_SETUP_REQ " +
    "CALL_SETUP_RESULT CALL_DETAIL DEVICE_STATE TEXT SHUTDOWN_REQUESTED"
  ).split(" "),
);
