import type { Context } from "hono";
import { html } from "hono/html";
import { errorText } from "../action-errors.ts";
import { link, notice, page } from "../layout.ts";
import { optional } from "../form-values.ts";
import type { ConsoleEnv, SignedIn } from "../session.ts";
import { frameOf } from "./keys.ts";

type DomainPage = Awaited<ReturnType<SignedIn["call"]["domains"]["list"]>>;

/** `/console/domains`: the domains this key may see, through domains.list (a domain-bound key: its own). */
export async function domainsPage(c: Context<ConsoleEnv>) {
  const signedIn = c.get("signedIn");
  const cursor = optional(c.req.query("cursor"));
  let result: DomainPage | null = null;
  let error: unknown = null;
  try {
    result = await signedIn.call.domains.list({ limit: 100, ...(cursor ? { cursor } : {}) });
  } catch (caught) {
    error = caught;
  }
  const items = result?.items ?? [];
  const body = html`${notice("error", error ? errorText(error) : null)}
${
  items.length === 0 && result
    ? html`<p class="muted">No domains.</p>`
    : html`<table aria-label="Domains">
<thead><tr><th>Name</th><th>Enabled</th><th>Description</th><th>Domain uuid</th></tr></thead>
<tbody>${items.map(
        (d) => html`<tr><td>${d.domain_name ?? ""}</td><td>${d.domain_enabled ? "yes" : "no"}</td>
<td>${d.domain_description ?? ""}</td><td><code>${d.domain_uuid}</code></td></tr>`,
      )}</tbody></table>`
}
${result?.nextCursor ? html`<p><a href="${link("/console/domains", { cursor: result.nextCursor })}" rel="next">Next page</a></p>` : ""}
<h2>Create, change or delete a domain</h2>
<p class="muted">Not available in this version: Switchboard has no actions that create, change or delete domains yet.
Use FusionPBX's Domains page for that.</p>`;
  const domains = items.map((d) => ({ uuid: d.domain_uuid, name: d.domain_name ?? d.domain_uuid }));
  return c.html(page({ title: "Domains", current: "/console/domains", signedIn: frameOf(signedIn, domains) }, body));
}
