import { randomUUID } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { type CallCenterState, callcenterConfig, newAgent, newMember, newTier } from "./fake-callcenter.ts";
import { type ConnectionHost, FakeConnection, type FakeEvent } from "./fake-connection.ts";
import {
  channelNameFor,
  ORIGINATE_USAGE,
  type OriginateMatch,
  type OriginateOutcome,
  type OriginateRequest,
  originateMatches,
  parseOriginate,
} from "./fake-originate.ts";
import { DEFAULT_PROFILES, type SofiaProfile, sofiaStatus, sofiaXmlStatus } from "./fake-sofia.ts";
import {
  type AgentRow,
  CHANNEL_COLUMNS,
  type ChannelRow,
  completeRow,
  type MemberRow,
  REGISTRATION_COLUMNS,
  type RegistrationRow,
  showCsv,
  showJson,
  type TierRow,
} from "./fake-tables.ts";
import { DISCONNECT_SHUTDOWN, type HeaderList, type ReceivedCommand } from "./wire.ts";

export interface FakeSwitchOptions {
  /** Loopback only. Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Default `ClueCon`. */
  password?: string;
  /** Default 25000, as FreeSWITCH: no complete command within this time after connecting → notice and close. */
  authTimeoutMs?: number;
  /** Delay before every `api`/`bgapi` result (a slow switch). Default 0. */
  apiDelayMs?: number;
  /** Values of the standard event headers, for byte-exact tests. */
  identity?: { coreUuid?: string; hostname?: string; switchname?: string; ipv4?: string; ipv6?: string };
  /** Microseconds since the epoch for Event-Date-* headers. Default: now. */
  clockMicros?: () => bigint;
  /** Offset of the switch's local time from UTC, for Event-Date-Local. Default 0 (a switch running in UTC). */
  utcOffsetMinutes?: number;
  /** First Event-Sequence number. Default 1. */
  firstEventSequence?: number;
}

export type ApiResponder = string | ((command: string) => string | Promise<string>);

/** One `originate` the fake switch handled. */
export interface OriginateRecord extends OriginateRequest {
  uuid: string;
  outcome: OriginateOutcome;
  via: "api" | "bgapi";
}

export interface SentEvent {
  name: string;
  headers: Record<string, string>;
  body: string;
}

/** A FreeSWITCH mod_event_socket (inbound) on a real TCP port, scriptable for tests and the demo. */
export interface FakeSwitch {
  readonly host: string;
  readonly port: number;
  readonly password: string;
  /** `host:port`, the same name a Switch client gives itself. */
  readonly name: string;
  /** Every command exactly as received (block, headers and body), in arrival order, across connections. */
  readonly received: string[];
  /** The same commands parsed. */
  readonly commands: ReceivedCommand[];
  /** Argument strings of every `api`/`bgapi` received (`originate …`, `reloadxml`, …). */
  apiCommands(): string[];
  clearReceived(): void;
  /**
   * Resolves with the first received command (raw text) matching `match` — a substring or a RegExp
   * tested against the raw text — including ones already received; rejects after `timeoutMs` (default 2000).
   */
  waitForCommand(match: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Number of open client connections / authenticated ones. */
  connectionCount(): number;
  authenticatedCount(): number;

  /** What `originate` does when no scripted match applies. Default: answer at once. */
  setOriginateOutcome(outcome: OriginateOutcome): void;
  /** What `originate` does for matching requests (latest script wins). `times` limits how often it applies. */
  scriptOriginate(match: OriginateMatch, outcome: OriginateOutcome, times?: number): void;
  clearOriginateScripts(): void;
  readonly originates: OriginateRecord[];

  /** Replace the reply of every `api`/`bgapi` command starting with `prefix` (longest prefix wins). */
  setApiResponse(prefix: string, response: ApiResponder): void;
  clearApiResponse(prefix: string): void;
  /** Delay every api/bgapi result by `ms` (0 to turn off). */
  setApiDelay(ms: number): void;

  setRegistrations(rows: Array<Partial<RegistrationRow> & { reg_user: string; realm: string }>): void;
  /** Profiles for `sofia status` / `sofia xmlstatus profile <p> reg`. Default: internal (5060) and external (5080). */
  setSofiaProfiles(profiles: SofiaProfile[]): void;
  /** The channels table (calls answered by originate appear here too). */
  readonly channels: Map<string, ChannelRow>;
  addChannel(row: Partial<ChannelRow>): ChannelRow;
  /** Hang a channel up: CHANNEL_HANGUP_COMPLETE with `cause`, then it leaves `show channels`. */
  hangup(uuid: string, cause?: string): boolean;

  setQueue(name: string, members?: Array<Partial<MemberRow>>): void;
  setAgents(rows: Array<Partial<AgentRow> & { name: string }>): void;
  setTiers(rows: Array<Partial<TierRow> & { queue: string; agent: string }>): void;
  readonly callCenter: CallCenterState;

  /** mod_memcache's store: `memcache delete <key>` answers `+OK` when present, `-ERR NOT FOUND` otherwise. */
  readonly memcache: Map<string, string>;
  /** Argument strings of every `luarun`. */
  readonly luaRuns: string[];
  /** How many `reloadxml` were run. */
  readonly reloadxmlCount: number;
  /** Every `sendevent` received, headers as sent. */
  readonly sentEvents: SentEvent[];

  /** Fire an event to every subscribed connection. */
  fireEvent(name: string, headers: HeaderList | Record<string, string>, body?: string): void;

  /** Close every connection with FreeSWITCH's shutdown notice and stop listening. */
  stop(): Promise<void>;
  /**
   * stop(), then listen again on the same port (a FreeSWITCH restart). Channels are lost. A restarted
   * FreeSWITCH has a new Core-UUID; pass `{ coreUuid }` to choose it (default: a new one).
   */
  restart(options?: { coreUuid?: string }): Promise<void>;
  /** The Core-UUID header of every event (changes on restart). */
  readonly coreUuid: string;
  /** Cut every client connection without a notice (a crash or network failure); keep listening. */
  dropConnections(): void;
  readonly listening: boolean;
  /**
   * Freeze like a FreeSWITCH under SIGSTOP: connections are still accepted and bytes still arrive, but
   * nothing is read, run or sent (no greeting, no reply, no event) until `resume()`. Timers already running
   * (a scripted answer delay) run on; what they send waits too.
   */
  stall(): void;
  /**
   * Carry on like after SIGCONT: send what waited, then run every command received meanwhile, in order —
   * including those from clients that gave up and closed — so a queued `originate` really places its call
   * (its channel, CHANNEL_* and BACKGROUND_JOB events, as any originate).
   */
  resume(): void;
  readonly stalled: boolean;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

function headerList(headers: HeaderList | Record<string, string>): HeaderList {
  return Array.isArray(headers) ? headers : Object.entries(headers);
}

class FakeSwitchServer implements FakeSwitch, ConnectionHost {
  readonly host: string;
  port: number;
  readonly password: string;
  readonly authTimeoutMs: number;
  readonly received: string[] = [];
  readonly commands: ReceivedCommand[] = [];
  readonly originates: OriginateRecord[] = [];
  readonly channels = new Map<string, ChannelRow>();
  readonly callCenter: CallCenterState = { queues: new Map(), agents: new Map(), tiers: [] };
  readonly memcache = new Map<string, string>();
  readonly luaRuns: string[] = [];
  readonly sentEvents: SentEvent[] = [];
  reloadxmlCount = 0;
  listening = false;
  stalled = false;

  private server: Server | null = null;
  private readonly connections = new Set<FakeConnection>();
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private apiDelayMs: number;
  private readonly apiResponses = new Map<string, ApiResponder>();
  private defaultOutcome: OriginateOutcome = { kind: "answer" };
  private scripts: Array<{ match: OriginateMatch; outcome: OriginateOutcome; remaining: number }> = [];
  private registrations: RegistrationRow[] = [];
  private sofiaProfiles: SofiaProfile[] = DEFAULT_PROFILES;
  private sequence: number;
  private readonly identity: Required<NonNullable<FakeSwitchOptions["identity"]>>;
  private readonly clockMicros: () => bigint;
  private readonly utcOffsetMinutes: number;

  constructor(options: FakeSwitchOptions) {
    this.host = options.host ?? "127.0.0.1";
    if (!LOOPBACK.has(this.host)) throw new Error(`The fake switch listens on loopback only, not ${this.host}`);
    this.port = options.port ?? 0;
    this.password = options.password ?? "ClueCon";
    this.authTimeoutMs = options.authTimeoutMs ?? 25_000;
    this.apiDelayMs = options.apiDelayMs ?? 0;
    this.sequence = options.firstEventSequence ?? 1;
    this.identity = {
      coreUuid: options.identity?.coreUuid ?? randomUUID(),
      hostname: options.identity?.hostname ?? "fakeswitch",
      switchname: options.identity?.switchname ?? options.identity?.hostname ?? "fakeswitch",
      ipv4: options.identity?.ipv4 ?? "127.0.0.1",
      ipv6: options.identity?.ipv6 ?? "::1",
    };
    this.clockMicros =
      options.clockMicros ?? (() => BigInt(Date.now()) * 1000n + BigInt(Math.floor((performance.now() % 1) * 1000)));
    this.utcOffsetMinutes = options.utcOffsetMinutes ?? 0;
  }

  get name(): string {
    return `${this.host}:${this.port}`;
  }

  async listen(): Promise<void> {
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, this.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const address = server.address();
    if (address && typeof address === "object") this.port = address.port;
    this.server = server;
    this.listening = true;
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
    this.connections.add(new FakeConnection(socket, this));
  }

  // ConnectionHost

  private readonly commandListeners = new Set<(raw: string) => void>();

  record(command: ReceivedCommand): void {
    this.received.push(command.raw);
    this.commands.push(command);
    for (const listener of [...this.commandListeners]) listener(command.raw);
  }

  waitForCommand(match: string | RegExp, timeoutMs = 2000): Promise<string> {
    const matches = (raw: string) => (typeof match === "string" ? raw.includes(match) : match.test(raw));
    const already = this.received.find(matches);
    if (already !== undefined) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const listener = (raw: string) => {
        if (!matches(raw)) return;
        clearTimeout(timer);
        this.commandListeners.delete(listener);
        resolve(raw);
      };
      const timer = setTimeout(() => {
        this.commandListeners.delete(listener);
        reject(new Error(`The fake switch received no command matching ${String(match)} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.commandListeners.add(listener);
    });
  }

  detach(connection: FakeConnection): void {
    this.connections.delete(connection);
  }

  channelExists(uuid: string): boolean {
    return this.channels.has(uuid);
  }

  async runApi(command: string): Promise<string> {
    if (this.apiDelayMs > 0) await this.sleep(this.apiDelayMs);
    const body = await this.dispatch(command.trim(), "api");
    return body === "" ? "-ERR no reply\n" : body;
  }

  startBackgroundJob(command: string, jobUuid: string): void {
    const trimmed = command.trim();
    void (async () => {
      if (this.apiDelayMs > 0) await this.sleep(this.apiDelayMs);
      // Let the command/reply reach the socket before the job can finish.
      await new Promise<void>((resolve) => setImmediate(resolve));
      let body = await this.dispatch(trimmed, "bgapi");
      if (body === "") body = "-ERR no reply\n";
      const space = trimmed.indexOf(" ");
      const headers: Array<[string, string]> = [
        ["Job-UUID", jobUuid],
        ["Job-Command", space < 0 ? trimmed : trimmed.slice(0, space)],
      ];
      if (space >= 0) headers.push(["Job-Command-Arg", trimmed.slice(space + 1)]);
      this.emit("BACKGROUND_JOB", headers, body, { file: "mod_event_socket.c", func: "api_exec", line: "1580" });
    })();
  }

  sendEvent(name: string, headers: Array<[string, string]>, body: string): string {
    const record: Record<string, string> = {};
    for (const [key, value] of headers) record[key] = value;
    this.sentEvents.push({ name, headers: record, body });
    const eventName = (name || record["Event-Name"] || "CUSTOM").toUpperCase();
    const own = headers.filter(([key]) => !["event-name", "content-length"].includes(key.toLowerCase()));
    this.emit(eventName, own, body || undefined, { file: "mod_event_socket.c", func: "parse_command", line: "2031" });
    return randomUUID();
  }

  // Scripting

  apiCommands(): string[] {
    return this.commands
      .map((c) => /^(?:bg)?api (.*)$/is.exec(c.line)?.[1])
      .filter((c): c is string => c !== undefined);
  }

  clearReceived(): void {
    this.received.length = 0;
    this.commands.length = 0;
  }

  connectionCount(): number {
    return this.connections.size;
  }

  authenticatedCount(): number {
    return [...this.connections].filter((c) => c.authenticated).length;
  }

  setOriginateOutcome(outcome: OriginateOutcome): void {
    this.defaultOutcome = outcome;
  }

  scriptOriginate(match: OriginateMatch, outcome: OriginateOutcome, times = Number.POSITIVE_INFINITY): void {
    this.scripts.unshift({ match, outcome, remaining: times });
  }

  clearOriginateScripts(): void {
    this.scripts = [];
  }

  setApiResponse(prefix: string, response: ApiResponder): void {
    this.apiResponses.set(prefix, response);
  }

  clearApiResponse(prefix: string): void {
    this.apiResponses.delete(prefix);
  }

  setApiDelay(ms: number): void {
    this.apiDelayMs = ms;
  }

  setRegistrations(rows: Array<Partial<RegistrationRow> & { reg_user: string; realm: string }>): void {
    const expires = String(Math.floor(Date.now() / 1000) + 3600);
    this.registrations = rows.map((row, i) =>
      completeRow(REGISTRATION_COLUMNS, row, {
        token: `fake-token-${i + 1}`,
        url: `sofia/internal/sip:${row.reg_user}@127.0.0.1:${5060 + i}`,
        expires,
        network_ip: "127.0.0.1",
        network_port: String(5060 + i),
        network_proto: "udp",
        hostname: this.identity.hostname,
      }),
    );
  }

  setSofiaProfiles(profiles: SofiaProfile[]): void {
    this.sofiaProfiles = profiles;
  }

  addChannel(row: Partial<ChannelRow>): ChannelRow {
    const now = new Date();
    const uuid = row.uuid || randomUUID();
    const given = Object.fromEntries(Object.entries(row).filter(([, value]) => value !== "" && value !== undefined));
    const complete = completeRow(
      CHANNEL_COLUMNS,
      { ...given, uuid },
      {
        direction: "outbound",
        created: this.localTime(BigInt(now.getTime()) * 1000n),
        created_epoch: String(Math.floor(now.getTime() / 1000)),
        name: `loopback/${uuid}-a`,
        state: "CS_EXECUTE",
        dialplan: "XML",
        context: "default",
        hostname: this.identity.hostname,
        callstate: "ACTIVE",
        call_uuid: uuid,
      },
    );
    this.channels.set(uuid, complete);
    return complete;
  }

  hangup(uuid: string, cause = "NORMAL_CLEARING"): boolean {
    const channel = this.channels.get(uuid);
    if (!channel) return false;
    this.channels.delete(uuid);
    this.emit(
      "CHANNEL_HANGUP_COMPLETE",
      [
        ...this.channelHeaders(channel, "CS_REPORTING", "HANGUP", "hangup"),
        ["Hangup-Cause", cause],
        ...this.channelVariables(uuid),
      ],
      undefined,
      { file: "switch_core_state_machine.c", func: "switch_core_session_reporting_state", line: "944" },
    );
    return true;
  }

  setQueue(name: string, members: Array<Partial<MemberRow>> = []): void {
    this.callCenter.queues.set(name, { members: members.map((m) => newMember(name, m)) });
  }

  setAgents(rows: Array<Partial<AgentRow> & { name: string }>): void {
    this.callCenter.agents.clear();
    for (const row of rows) this.callCenter.agents.set(row.name, newAgent(row));
  }

  setTiers(rows: Array<Partial<TierRow> & { queue: string; agent: string }>): void {
    this.callCenter.tiers = rows.map((row) => newTier(row));
  }

  fireEvent(name: string, headers: HeaderList | Record<string, string>, body?: string): void {
    this.emit(name, headerList(headers), body, { file: "fake_switch.c", func: "fire_event", line: "1" });
  }

  // Lifecycle

  async stop(): Promise<void> {
    // A stalled switch that is stopped never reads what waited (a killed process).
    this.stalled = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const connection of this.connections) connection.close(DISCONNECT_SHUTDOWN);
    const server = this.server;
    this.server = null;
    this.listening = false;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Clients that do not close their side after the notice are cut after a grace period.
    const grace = setTimeout(() => {
      for (const socket of this.sockets) socket.destroy();
    }, 200);
    await closed;
    clearTimeout(grace);
    this.connections.clear();
  }

  async restart(options: { coreUuid?: string } = {}): Promise<void> {
    await this.stop();
    this.channels.clear();
    this.identity.coreUuid = options.coreUuid ?? randomUUID();
    await this.listen();
  }

  get coreUuid(): string {
    return this.identity.coreUuid;
  }

  dropConnections(): void {
    for (const connection of this.connections) connection.drop();
    this.connections.clear();
  }

  stall(): void {
    this.stalled = true;
    for (const connection of this.connections) connection.stall();
  }

  resume(): void {
    this.stalled = false;
    for (const connection of [...this.connections]) connection.resume();
  }

  // Internals

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private localTime(micros: bigint): string {
    const date = new Date(Number(micros / 1000n) + this.utcOffsetMinutes * 60_000);
    return (
      `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
      `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
    );
  }

  private emit(
    name: string,
    headers: HeaderList,
    body: string | undefined,
    origin: { file: string; func: string; line: string },
  ): void {
    const micros = this.clockMicros();
    const subclass = headers.find(([key]) => key.toLowerCase() === "event-subclass")?.[1];
    const event: FakeEvent = {
      name,
      subclass,
      body,
      headers: [
        ["Event-Name", name],
        ["Core-UUID", this.identity.coreUuid],
        ["FreeSWITCH-Hostname", this.identity.hostname],
        ["FreeSWITCH-Switchname", this.identity.switchname],
        ["FreeSWITCH-IPv4", this.identity.ipv4],
        ["FreeSWITCH-IPv6", this.identity.ipv6],
        ["Event-Date-Local", this.localTime(micros)],
        ["Event-Date-GMT", new Date(Number(micros / 1000n)).toUTCString()],
        ["Event-Date-Timestamp", micros.toString()],
        ["Event-Calling-File", origin.file],
        ["Event-Calling-Function", origin.func],
        ["Event-Calling-Line-Number", origin.line],
        ["Event-Sequence", String(this.sequence++)],
        ...headers,
      ],
    };
    for (const connection of this.connections) connection.deliver(event);
  }

  private channelHeaders(channel: ChannelRow, state: string, callState: string, answerState: string): HeaderList {
    const stateNumbers: Record<string, string> = { CS_INIT: "2", CS_EXECUTE: "4", CS_REPORTING: "11" };
    return [
      ["Channel-State", state],
      ["Channel-Call-State", callState],
      ["Channel-State-Number", stateNumbers[state] ?? "0"],
      ["Channel-Name", channel.name],
      ["Unique-ID", channel.uuid],
      ["Call-Direction", channel.direction],
      ["Presence-Call-Direction", channel.direction],
      ["Channel-Call-UUID", channel.call_uuid || channel.uuid],
      ["Answer-State", answerState],
      ["Caller-Caller-ID-Name", channel.cid_name],
      ["Caller-Caller-ID-Number", channel.cid_num],
      ["Caller-Destination-Number", channel.dest],
      ["Caller-Context", channel.context],
      ["Caller-Unique-ID", channel.uuid],
      ["Caller-Channel-Name", channel.name],
    ];
  }

  private readonly variablesByUuid = new Map<string, Record<string, string>>();

  private channelVariables(uuid: string): HeaderList {
    return Object.entries(this.variablesByUuid.get(uuid) ?? {}).map(([k, v]) => [`variable_${k}`, v] as const);
  }

  private async dispatch(command: string, via: "api" | "bgapi"): Promise<string> {
    let best: string | null = null;
    for (const prefix of this.apiResponses.keys()) {
      if (command.startsWith(prefix) && (best === null || prefix.length > best.length)) best = prefix;
    }
    if (best !== null) {
      const responder = this.apiResponses.get(best)!;
      return typeof responder === "string" ? responder : await responder(command);
    }
    const space = command.indexOf(" ");
    const given = space < 0 ? command : command.slice(0, space);
    const name = given.toLowerCase();
    const args = space < 0 ? "" : command.slice(space + 1).trim();
    switch (name) {
      case "originate":
        return this.originate(args, via);
      case "status":
        return this.status();
      case "version":
        return "FreeSWITCH Version 1.10.12-release~64bit (fake)\n";
      case "create_uuid":
        return randomUUID();
      case "uuid_exists":
        return this.channels.has(args) ? "true" : "false";
      case "uuid_kill": {
        const [uuid, cause] = args.split(/\s+/);
        if (!uuid) return "-USAGE: <uuid> [cause]\n";
        return this.hangup(uuid, cause || "NORMAL_CLEARING") ? "+OK\n" : "-ERR No such channel!\n";
      }
      case "hupall": {
        const [cause = "MANAGER_REQUEST"] = args.split(/\s+/).filter(Boolean);
        for (const uuid of [...this.channels.keys()]) this.hangup(uuid, cause);
        return `+OK hangup all channels with cause ${cause}\n`;
      }
      case "reloadxml":
        this.reloadxmlCount++;
        return "+OK [Success]\n";
      case "reloadacl":
        return "+OK acl reloaded\n";
      case "luarun":
        if (!args) return "-ERR no args specified!\n";
        this.luaRuns.push(args);
        return "+OK\n";
      case "memcache":
        return this.memcacheCommand(args);
      case "show":
        return this.show(args);
      case "sofia":
        return this.sofia(args);
      case "callcenter_config":
        return callcenterConfig(this.callCenter, args);
      default:
        return `-ERR ${given} Command not found!\n`;
    }
  }

  private status(): string {
    return (
      "UP 0 years, 0 days, 0 hours, 1 minute, 0 seconds, 0 milliseconds, 0 microseconds\n" +
      "FreeSWITCH (Version 1.10.12 -release 64bit) is ready\n" +
      `${this.originates.length} session(s) since startup\n` +
      `${this.channels.size} session(s) - peak ${this.channels.size}, last 5min ${this.channels.size} \n` +
      "0 session(s) per Sec out of max 30, peak 1, last 5min 0 \n" +
      "1000 session(s) max\nmin idle cpu 0.00/99.37\nCurrent Stack Size/Max 240K/8192K\n"
    );
  }

  private sofia(args: string): string {
    if (args.trim() === "status") {
      const inUse = (profile: string) =>
        [...this.channels.values()].filter((c) => c.name.startsWith(`sofia/${profile}/`)).length;
      return sofiaStatus(this.sofiaProfiles, this.identity.ipv4, inUse);
    }
    return sofiaXmlStatus(args, this.sofiaProfiles, this.registrations) ?? "Invalid Syntax!\n";
  }

  private memcacheCommand(args: string): string {
    const [action, key, ...value] = args.split(/\s+/);
    if (action === "delete" && key) return this.memcache.delete(key) ? "+OK\n" : "-ERR NOT FOUND\n";
    if (action === "set" && key) {
      this.memcache.set(key, value.join(" "));
      return "+OK\n";
    }
    if (action === "get" && key) return this.memcache.has(key) ? this.memcache.get(key)! : "-ERR NOT FOUND\n";
    if (action === "flush") {
      this.memcache.clear();
      return "+OK\n";
    }
    return "-USAGE: <set|replace|add|get|getflags|delete|increment|decrement|flush|status> <key> [<value> [<flags> [<expires>]]]\n";
  }

  private show(args: string): string {
    const match = /^(\w+)(?:\s+like\s+(\S+))?(\s+as\s+json)?\s*$/i.exec(args);
    if (!match) return "-USAGE: show <type> [like <pattern>] [as json]\n";
    const [, what, like, asJson] = match;
    const table = what!.toLowerCase();
    let rows: Array<Record<string, string>>;
    let columns: readonly string[];
    if (table === "channels" || table === "calls") {
      columns = CHANNEL_COLUMNS;
      rows = [...this.channels.values()];
      if (like) {
        const needle = like.toLowerCase();
        rows = rows.filter((r) =>
          ["uuid", "name", "cid_name", "cid_num", "presence_id", "presence_data", "accountcode", "dest"].some((c) =>
            (r[c] ?? "").toLowerCase().includes(needle),
          ),
        );
      }
    } else if (table === "registrations") {
      columns = REGISTRATION_COLUMNS;
      rows = this.registrations;
    } else {
      return `-USAGE: show <type>\n`;
    }
    return asJson ? showJson(rows) : showCsv(columns, rows);
  }

  private pickOutcome(request: OriginateRequest): OriginateOutcome {
    for (const script of this.scripts) {
      if (script.remaining > 0 && originateMatches(script.match, request)) {
        script.remaining--;
        return script.outcome;
      }
    }
    return this.defaultOutcome;
  }

  private async originate(args: string, via: "api" | "bgapi"): Promise<string> {
    const request = parseOriginate(args);
    if (!request) return ORIGINATE_USAGE;
    const outcome = this.pickOutcome(request);
    const uuid =
      request.variables["origination_uuid"] ?? (outcome.kind === "answer" ? outcome.uuid : undefined) ?? randomUUID();
    this.originates.push({ ...request, uuid, outcome, via });

    if (outcome.kind === "never") return new Promise<string>(() => {});
    if (outcome.kind !== "answer") {
      if (outcome.afterMs) await this.sleep(outcome.afterMs);
      const cause = outcome.kind === "busy" ? "USER_BUSY" : outcome.kind === "noAnswer" ? "NO_ANSWER" : outcome.cause;
      return `-ERR ${cause}\n`;
    }

    const vars = request.variables;
    const destination =
      /^loopback\/([^/]+)/.exec(request.endpoint)?.[1] ?? request.endpoint.replace(/^user\//, "").split("@")[0] ?? "";
    const channel = completeRow(CHANNEL_COLUMNS, {
      uuid,
      direction: "outbound",
      name: channelNameFor(request.endpoint),
      state: "CS_INIT",
      cid_name: vars["origination_caller_id_name"] ?? request.callerIdName ?? "",
      cid_num: vars["origination_caller_id_number"] ?? request.callerIdNumber ?? "",
      dest: destination,
      dialplan: request.dialplan,
      context: request.context,
      presence_id: vars["presence_id"] ?? "",
      callstate: "DOWN",
      call_uuid: uuid,
      hostname: this.identity.hostname,
    });
    this.variablesByUuid.set(uuid, { ...vars, uuid });
    this.emit(
      "CHANNEL_CREATE",
      [...this.channelHeaders(channel, "CS_INIT", "DOWN", "ringing"), ...this.channelVariables(uuid)],
      undefined,
      { file: "switch_core_state_machine.c", func: "switch_core_session_run", line: "581" },
    );
    if (outcome.afterMs) await this.sleep(outcome.afterMs);

    const answered = this.addChannel({
      ...channel,
      state: "CS_EXECUTE",
      callstate: "ACTIVE",
      application: /^&(\w+)/.exec(request.destination)?.[1] ?? "",
      application_data: /^&\w+\((.*)\)$/.exec(request.destination)?.[1] ?? "",
    });
    this.emit(
      "CHANNEL_ANSWER",
      [...this.channelHeaders(answered, "CS_EXECUTE", "ACTIVE", "answered"), ...this.channelVariables(uuid)],
      undefined,
      { file: "switch_channel.c", func: "switch_channel_perform_mark_answered", line: "3899" },
    );
    if (outcome.hangupAfterMs !== undefined) {
      const cause = outcome.hangupCause ?? "NORMAL_CLEARING";
      void this.sleep(outcome.hangupAfterMs).then(() => this.hangup(uuid, cause));
    }
    return `+OK ${uuid}\n`;
  }
}

/** Start a fake FreeSWITCH event socket on loopback (a free port unless `port` is given). */
export async function startFakeSwitch(options: FakeSwitchOptions = {}): Promise<FakeSwitch> {
  const fake = new FakeSwitchServer(options);
  await fake.listen();
  return fake;
}
