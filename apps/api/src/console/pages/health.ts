import type { Context } from "hono";
import { html } from "hono/html";
import type { AppDeps } from "../../env.ts";
import { detailedHealth } from "../../health.ts";
import { visibleDomains } from "../domain-names.ts";
import { page, when } from "../layout.ts";
import type { ConsoleEnv } from "../session.ts";
import { frameOf } from "./keys.ts";

interface Reading {
  name: string;
  up: boolean;
  latency_ms: number | null;
  error?: string;
}

const row = (r: Reading) =>
  html`<tr><td>${r.name}</td><td class="${r.up ? "up" : "down"}">${r.up ? "up" : "down"}</td>
<td>${r.latency_ms === null ? "—" : `${r.latency_ms} ms`}</td><td>${r.error ?? ""}</td></tr>`;

/** `/console/health`: the admin's view of /health (database, every switch, the audit writer), probed in process. */
export function healthPage(deps: AppDeps) {
  return async (c: Context<ConsoleEnv>) => {
    const signedIn = c.get("signedIn");
    const [health, domains] = await Promise.all([detailedHealth(deps), visibleDomains(signedIn).catch(() => [])]);
    const audit = health.audit;
    const body = html`<p>Overall: <strong class="${health.status === "ok" ? "up" : "down"}">${health.status}</strong>
<span class="muted">(checked ${when(health.checked_at)})</span></p>
<table aria-label="Health">
<thead><tr><th>Service</th><th>State</th><th>Latency</th><th>Problem</th></tr></thead>
<tbody>${row({ name: "PostgreSQL", ...health.database })}${health.switches.map((s) => row({ ...s, name: `FreeSWITCH ${s.name}` }))}</tbody>
</table>
${health.switches.length === 0 ? html`<p class="muted">No FreeSWITCH is configured for this process.</p>` : ""}
${
  audit
    ? html`<h2>Audit log writer</h2>
<p class="${audit.up ? "" : "down"}">${audit.written} rows written, ${audit.buffered} waiting, ${audit.failed} failed writes, ${audit.dropped} rows dropped${
        audit.last_error ? html`; last failure at ${audit.last_error.at}: ${audit.last_error.message}` : ""
      }.</p>`
    : ""
}`;
    return c.html(page({ title: "Health", current: "/console/health", signedIn: frameOf(signedIn, domains) }, body));
  };
}
