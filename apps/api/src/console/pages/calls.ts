import type { Context } from "hono";
import { html } from "hono/html";
import { errorStatus, errorText } from "../action-errors.ts";
import { type DomainChoice, visibleDomains } from "../domain-names.ts";
import { optional } from "../form-values.ts";
import { csrfField, type Html, link, notice, page, when } from "../layout.ts";
import type { ConsoleEnv, SignedIn } from "../session.ts";
import { frameOf } from "./keys.ts";

type CdrPage = Awaited<ReturnType<SignedIn["call"]["cdr"]["list"]>>;
type Placed = Awaited<ReturnType<SignedIn["call"]["calls"]["originate"]>>;

const RECENT = 25;

interface CallsView {
  domainUuid?: string;
  placed?: Placed;
  error?: unknown;
  draft?: Record<string, string>;
}

/** The domain the page shows: the one asked for, else the key's own, else the first visible. */
function chosenDomain(signedIn: SignedIn, domains: readonly DomainChoice[], asked: string | undefined) {
  return asked ?? signedIn.key.domainUuid ?? domains[0]?.uuid;
}

async function attempt<T>(run: () => Promise<T>): Promise<{ value: T; error: null } | { value: null; error: unknown }> {
  try {
    return { value: await run(), error: null };
  } catch (error) {
    return { value: null, error };
  }
}

function recentTable(page: CdrPage): Html {
  if (page.items.length === 0) return html`<p class="muted">No call records.</p>`;
  return html`<table aria-label="Recent calls">
<thead><tr><th>Started</th><th>Ended</th><th>Direction</th><th>From</th><th>To</th><th>Duration (s)</th><th>Hang-up cause</th></tr></thead>
<tbody>${page.items.map(
    (r) => html`<tr><td>${when(r.start_stamp)}</td><td>${when(r.end_stamp)}</td><td>${r.direction ?? ""}</td>
<td>${r.caller_id_name ?? ""} ${r.caller_id_number ?? ""}</td><td>${r.destination_number ?? ""}</td>
<td>${r.duration ?? ""}</td><td>${r.hangup_cause ?? ""}</td></tr>`,
  )}</tbody></table>`;
}

function liveTable(channels: readonly Record<string, string>[]): Html {
  if (channels.length === 0) return html`<p class="muted">No live calls.</p>`;
  return html`<table aria-label="Live calls">
<thead><tr><th>Since</th><th>Channel</th><th>Caller</th><th>Destination</th><th>State</th><th>Uuid</th></tr></thead>
<tbody>${channels.map(
    (
      ch,
    ) => html`<tr><td>${ch.created ?? ""}</td><td>${ch.name ?? ""}</td><td>${ch.cid_name ?? ""} ${ch.cid_num ?? ""}</td>
<td>${ch.dest ?? ""}</td><td>${ch.callstate ?? ch.state ?? ""}</td><td><code>${ch.uuid ?? ""}</code></td></tr>`,
  )}</tbody></table>`;
}

async function render(c: Context<ConsoleEnv>, view: CallsView) {
  const signedIn = c.get("signedIn");
  const domains = await visibleDomains(signedIn).catch(() => []);
  const domainUuid = chosenDomain(signedIn, domains, view.domainUuid);
  const cursor = optional(c.req.query("cursor"));
  const recent = domainUuid
    ? await attempt(() =>
        signedIn.call.cdr.list({ domain_uuid: domainUuid, limit: RECENT, ...(cursor ? { cursor } : {}) }),
      )
    : null;
  const live = domainUuid ? await attempt(() => signedIn.call.calls.live({ domain_uuid: domainUuid })) : null;
  const draft = view.draft ?? {};
  const placed = view.placed;
  const body = html`${notice("error", view.error ? errorText(view.error) : null)}
${
  placed
    ? placed.success
      ? notice("ok", `Test call placed: ${placed.call_uuid} (${placed.status}).`)
      : notice("error", `The test call failed: ${placed.hangup_cause ?? "no cause given"}.`)
    : ""
}
<form method="get" action="/console/calls" class="filters" aria-label="Choose a domain">
<label>Domain <select name="domain_uuid">
${domains.map((d) => html`<option value="${d.uuid}"${d.uuid === domainUuid ? " selected" : ""}>${d.name}</option>`)}
</select></label>
<button type="submit">Show</button>
</form>
${
  domainUuid
    ? html`<h2>Live calls</h2>
${live?.error ? notice("error", errorText(live.error)) : live?.value ? liveTable(live.value) : ""}
<h2>Place a test call</h2>
<p class="muted">The first number rings; once it answers it is connected to the second (<code>*9664</code> plays hold music).
Under the call policy the first number is an extension of the domain, and the callers see that extension's caller id.</p>
<form method="post" action="/console/calls/originate" class="stack" aria-label="Place a test call">
${csrfField(signedIn.session.csrfToken)}
<input type="hidden" name="domain_uuid" value="${domainUuid}">
<label>Ring first (an extension) <input name="ring_first" required value="${draft.ring_first ?? ""}"></label>
<label>Then connect to <input name="connect_to" required value="${draft.connect_to ?? "*9664"}"></label>
<label>Caller id number <input name="caller_id_number" required value="${draft.caller_id_number ?? ""}"></label>
<label>Caller id name (optional) <input name="caller_id_name" value="${draft.caller_id_name ?? ""}"></label>
<button type="submit">Place test call</button>
</form>
<h2>Recent calls</h2>
${recent?.error ? notice("error", errorText(recent.error)) : recent?.value ? recentTable(recent.value) : ""}
${
  recent?.value?.nextCursor
    ? html`<p><a href="${link("/console/calls", { domain_uuid: domainUuid, cursor: recent.value.nextCursor })}" rel="next">Older calls</a></p>`
    : ""
}`
    : html`<p class="muted">No domain to show.</p>`
}`;
  return c.html(
    page({ title: "Calls", current: "/console/calls", signedIn: frameOf(signedIn, domains) }, body),
    view.error ? errorStatus(view.error) : 200,
  );
}

/** `/console/calls`: a domain's live calls (calls.live) and recent calls (cdr.list); a test call through calls.originate. */
export const callRoutes = {
  show(c: Context<ConsoleEnv>) {
    return render(c, { domainUuid: optional(c.req.query("domain_uuid")) });
  },

  async originate(c: Context<ConsoleEnv>) {
    const form = c.get("form");
    const domainUuid = optional(form.domain_uuid);
    try {
      const placed = await c.get("signedIn").call.calls.originate({
        domain_uuid: domainUuid ?? "",
        ring_first: form.ring_first?.trim() ?? "",
        connect_to: form.connect_to?.trim() ?? "",
        caller_id_number: form.caller_id_number?.trim() ?? "",
        caller_id_name: optional(form.caller_id_name),
        mode: "async",
      });
      return render(c, { domainUuid, placed, draft: form });
    } catch (error) {
      return render(c, { domainUuid, error, draft: form });
    }
  },
};
