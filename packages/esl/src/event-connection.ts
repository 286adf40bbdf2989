import { EslSwitch, type SwitchConnectionOptions } from "./esl-switch.ts";
import type { SwitchEvent } from "./switch.ts";

/**
 * What Switchboard's event pipeline subscribes to (docs/events.md). Sent as one
 * `event json … CUSTOM sofia::register …` command, CUSTOM last. No FreeSWITCH-side filter: a filter on a
 * channel variable would silently drop every sofia:: event, so domains are sorted out in Switchboard.
 */
export const PBX_EVENT_NAMES = [
  "CHANNEL_CREATE",
  "CHANNEL_ANSWER",
  "CHANNEL_BRIDGE",
  "CHANNEL_HANGUP_COMPLETE",
  "MESSAGE_WAITING",
  "PRESENCE_IN",
  "HEARTBEAT",
  "sofia::register",
  "sofia::unregister",
  "sofia::expire",
  "callcenter::info",
] as const;

export interface EventConnectionOptions extends SwitchConnectionOptions {
  /**
   * No event at all for this long means a dead connection (FreeSWITCH sends HEARTBEAT every 20 s):
   * it is dropped and made again. Default 60 000 ms.
   */
  heartbeatTimeoutMs?: number;
  onEvent: (event: SwitchEvent) => void;
  /** Every time the connection is (re)established and subscribed. */
  onConnected?: () => void;
  /** Every time an established connection is lost. */
  onDisconnected?: (error: Error | null) => void;
}

/**
 * A dedicated event connection to one switch, separate from the command connection so that a burst of
 * events never delays a command (and a slow command never stalls events). Reconnects with backoff.
 */
export class EventConnection {
  readonly name: string;
  private readonly sw: EslSwitch;
  private readonly heartbeatTimeoutMs: number;
  private lastEventAt = Date.now();
  private wasConnected = false;
  private readonly watchdog: ReturnType<typeof setInterval>;

  constructor(options: EventConnectionOptions) {
    const { heartbeatTimeoutMs, onEvent, onConnected, onDisconnected, onStateChange, ...connection } = options;
    this.heartbeatTimeoutMs = heartbeatTimeoutMs ?? 60_000;
    this.sw = new EslSwitch({
      ...connection,
      name: connection.name ?? `${connection.host}:${connection.port}`,
      onStateChange: (state, error) => {
        onStateChange?.(state, error);
        if (state === "connected") {
          this.lastEventAt = Date.now();
          this.wasConnected = true;
          onConnected?.();
        } else if (this.wasConnected) {
          this.wasConnected = false;
          onDisconnected?.(error);
        }
      },
    });
    this.name = this.sw.name;
    this.sw.onEvent(PBX_EVENT_NAMES, (event) => {
      this.lastEventAt = Date.now();
      onEvent(event);
    });
    const tick = Math.max(20, Math.min(5_000, Math.floor(this.heartbeatTimeoutMs / 4)));
    this.watchdog = setInterval(() => {
      if (this.sw.connected && Date.now() - this.lastEventAt > this.heartbeatTimeoutMs) {
        this.lastEventAt = Date.now();
        this.sw.reconnect();
      }
    }, tick);
    this.watchdog.unref?.();
  }

  get connected(): boolean {
    return this.sw.connected;
  }

  /** `api` on the event connection (recovery asks the switch for its registrations this way). */
  api(command: string, timeoutMs?: number): Promise<string> {
    return this.sw.api(command, timeoutMs === undefined ? undefined : { timeoutMs });
  }

  async close(): Promise<void> {
    clearInterval(this.watchdog);
    await this.sw.close();
  }
}

export function connectEvents(options: EventConnectionOptions): EventConnection {
  return new EventConnection(options);
}
