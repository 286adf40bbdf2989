import { EslSwitch, type SwitchConnectionOptions, type SwitchEndpoint } from "./esl-switch.ts";
import {
  type BroadcastResult,
  type CommandOptions,
  type Switch,
  type SwitchHealth,
  type SwitchPool,
  SwitchUnavailableError,
} from "./switch.ts";

export interface SwitchPoolConfig {
  switches: ReadonlyArray<SwitchEndpoint & { name?: string }>;
  /** Name (`host:port`) of the switch calls should go to while it is healthy; default: the first healthy in order. */
  callSwitch?: string;
  /** Applied to every connection (timeouts, backoff, event format, logger). */
  connection?: Omit<SwitchConnectionOptions, keyof SwitchEndpoint | "name">;
}

/** Every switch of the install, connected lazily in the background. */
export class EslSwitchPool implements SwitchPool {
  readonly switches: readonly EslSwitch[];
  private readonly callSwitch: string | undefined;

  constructor(config: SwitchPoolConfig) {
    if (config.switches.length === 0) throw new Error("A switch pool needs at least one switch");
    this.switches = config.switches.map((endpoint) => new EslSwitch({ ...config.connection, ...endpoint }));
    this.callSwitch = config.callSwitch;
  }

  forCalls(): Switch {
    const ordered = this.callSwitch
      ? [...this.switches].sort((a, b) => Number(b.name === this.callSwitch) - Number(a.name === this.callSwitch))
      : this.switches;
    const healthy = ordered.find((s) => s.connected);
    if (healthy) return healthy;
    // Right after start-up nothing is connected yet: a switch still connecting will be waited for.
    const connecting = ordered.find((s) => s.state === "connecting");
    if (connecting) return connecting;
    const reasons = this.switches.map((s) => `${s.name}: ${s.lastError?.message ?? s.state}`).join("; ");
    throw new SwitchUnavailableError(ordered[0]!.name, `No FreeSWITCH is reachable (${reasons})`);
  }

  broadcast(command: string, options?: CommandOptions): Promise<BroadcastResult[]> {
    return Promise.all(
      this.switches.map(async (s): Promise<BroadcastResult> => {
        try {
          return { switch: s.name, ok: true, reply: await s.api(command, options) };
        } catch (error) {
          return { switch: s.name, ok: false, error: (error as Error).message };
        }
      }),
    );
  }

  broadcastEvent(name: string, headers: Record<string, string>, options?: CommandOptions): Promise<BroadcastResult[]> {
    return Promise.all(
      this.switches.map(async (s): Promise<BroadcastResult> => {
        try {
          await s.sendEvent(name, headers, options);
          return { switch: s.name, ok: true };
        } catch (error) {
          return { switch: s.name, ok: false, error: (error as Error).message };
        }
      }),
    );
  }

  health(): Promise<SwitchHealth[]> {
    return Promise.all(
      this.switches.map(async (s): Promise<SwitchHealth> => {
        const started = performance.now();
        try {
          await s.api("status", { timeoutMs: 2000 });
          return { switch: s.name, up: true, latencyMs: Math.round(performance.now() - started) };
        } catch (error) {
          return { switch: s.name, up: false, latencyMs: null, error: (error as Error).message };
        }
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.switches.map((s) => s.close()));
  }
}

/**
 * A pool over every configured switch. Never blocks and never throws for an unreachable switch:
 * connections are made in the background and commands fail fast with SwitchUnavailableError.
 */
export function createSwitchPool(config: SwitchPoolConfig): EslSwitchPool {
  return new EslSwitchPool(config);
}
