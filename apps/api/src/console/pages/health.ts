import type { Context } from "hono";
import { html } from "hono/html";
import { withDeadline } from "../../deadline.ts";
import type { AppDeps } from "../../env.ts";
import { visibleDomains } from "../domain-names.ts";
import { page } from "../layout.ts";
import type { ConsoleEnv } from "../session.ts";
import { frameOf } from "./keys.ts";

interface Reading {
  name: string;
  up: boolean;
  latencyMs: number | null;
  error?: string;
}

/** The database and every switch, read in process (the same probes /health makes), never through HTTP. */
async function readHealth(deps: AppDeps): Promise<{ database: Reading; switches: Reading[] }> {
  const databaseProbe = async (): Promise<Reading> => {
    const started = performance.now();
    try {
      await withDeadline(deps.sql`select 1`.execute(), deps.databaseDeadlineMs ?? 3_000);
      return { name: "PostgreSQL", up: true, latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { name: "PostgreSQL", up: false, latencyMs: null, error: (error as Error).message };
    }
  };
  const [database, switches] = await Promise.all([
    databaseProbe(),
    withDeadline(deps.switches.health(), 5_000, "switch health").catch(() =>
      deps.switches.switches.map((s) => ({ switch: s.name, up: false, latencyMs: null, error: "no answer" })),
    ),
  ]);
  return {
    database,
    switches: switches.map((s) => ({
      name: s.switch,
      up: s.up,
      latencyMs: s.latencyMs,
      ...(s.error ? { error: s.error } : {}),
    })),
  };
}

const row = (r: Reading) =>
  html`<tr><td>${r.name}</td><td class="${r.up ? "up" : "down"}">${r.up ? "up" : "down"}</td>
<td>${r.latencyMs === null ? "—" : `${r.latencyMs} ms`}</td><td>${r.error ?? ""}</td></tr>`;

/** `/console/health`: up or down, with latency and the reason when down. */
export function healthPage(deps: AppDeps) {
  return async (c: Context<ConsoleEnv>) => {
    const signedIn = c.get("signedIn");
    const [health, domains] = await Promise.all([readHealth(deps), visibleDomains(signedIn).catch(() => [])]);
    const audit = deps.audit.stats?.();
    const body = html`<table aria-label="Health">
<thead><tr><th>Service</th><th>State</th><th>Latency</th><th>Problem</th></tr></thead>
<tbody>${row(health.database)}${health.switches.map((s) => row({ ...s, name: `FreeSWITCH ${s.name}` }))}</tbody>
</table>
${health.switches.length === 0 ? html`<p class="muted">No FreeSWITCH is configured for this process.</p>` : ""}
${
  audit
    ? html`<h2>Audit log writer</h2>
<p>${audit.written} rows written, ${audit.buffered} waiting, ${audit.failed} failed writes, ${audit.dropped} rows dropped${
        audit.lastError ? html`; last failure at ${audit.lastError.at}: ${audit.lastError.message}` : ""
      }.</p>`
    : ""
}`;
    return c.html(page({ title: "Health", current: "/console/health", signedIn: frameOf(signedIn, domains) }, body));
  };
}
