import { actions } from "@switchboard/core";
import type { Context } from "hono";
import { html } from "hono/html";
import { errorStatus, errorText } from "../action-errors.ts";
import { domainName, visibleDomains } from "../domain-names.ts";
import { localValue, optional, utcTime } from "../form-values.ts";
import { link, notice, page, when } from "../layout.ts";
import type { ConsoleEnv, SignedIn } from "../session.ts";
import { frameOf } from "./keys.ts";

type AuditPage = Awaited<ReturnType<SignedIn["call"]["audit"]["list"]>>;

const PAGE_SIZE = 50;
const OUTCOMES = ["ok", "error"] as const;
const ACTION_NAMES = [...actions.map((a) => a.name), "console-sign-in", "console-sign-out"].sort();
const FILTERS = ["key_uuid", "action_name", "outcome", "domain_uuid", "start", "end"] as const;

/** `/console/audit`: the audit log through audit.list, filtered by key, action, outcome, domain and time, paged by its cursor. */
export async function auditPage(c: Context<ConsoleEnv>) {
  const signedIn = c.get("signedIn");
  const query = Object.fromEntries(FILTERS.map((name) => [name, optional(c.req.query(name))])) as Record<
    (typeof FILTERS)[number],
    string | undefined
  >;
  const cursor = optional(c.req.query("cursor"));
  const domains = await visibleDomains(signedIn).catch(() => []);
  const keys = await signedIn.lookup.keys.list().catch(() => []);
  let result: AuditPage | null = null;
  let error: unknown = null;
  try {
    result = await signedIn.call.audit.list({
      limit: PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
      key_uuid: query.key_uuid,
      action_name: query.action_name,
      outcome: query.outcome,
      domain_uuid: query.domain_uuid,
      start: utcTime(query.start),
      end: utcTime(query.end),
    });
  } catch (caught) {
    error = caught;
  }
  const keyName = (uuid: string | null) => (uuid ? (keys.find((k) => k.key_uuid === uuid)?.name ?? null) : null);
  const selected = (a: string | undefined, b: string) => (a === b ? " selected" : "");
  const body = html`${notice("error", error ? errorText(error) : null)}
<form method="get" action="/console/audit" class="filters" aria-label="Filter the audit log">
<label>Key id <input name="key_uuid" list="audit-keys" value="${query.key_uuid ?? ""}" spellcheck="false" size="38"></label>
<datalist id="audit-keys">${keys.map((k) => html`<option value="${k.key_uuid}">${k.name ?? ""}</option>`)}</datalist>
<label>Action <select name="action_name"><option value="">any</option>
${ACTION_NAMES.map((name) => html`<option${selected(query.action_name, name)}>${name}</option>`)}</select></label>
<label>Outcome <select name="outcome"><option value="">any</option>
${OUTCOMES.map((o) => html`<option${selected(query.outcome, o)}>${o}</option>`)}</select></label>
<label>Domain <select name="domain_uuid"><option value="">${signedIn.key.domainUuid ? "my domain" : "any"}</option>
${domains.map((d) => html`<option value="${d.uuid}"${selected(query.domain_uuid, d.uuid)}>${d.name}</option>`)}</select></label>
<label>From (UTC) <input type="datetime-local" name="start" value="${localValue(utcTime(query.start)) || (query.start ?? "")}"></label>
<label>Until (UTC) <input type="datetime-local" name="end" value="${localValue(utcTime(query.end)) || (query.end ?? "")}"></label>
<button type="submit">Show</button> <a href="/console/audit">Clear</a>
</form>
${
  result
    ? result.items.length === 0
      ? html`<p class="muted">No audit rows${cursor ? " on this page" : ""}.</p>`
      : html`<table aria-label="Audit log">
<thead><tr><th>Time</th><th>Action</th><th>Outcome</th><th>Key</th><th>Domain</th><th>Face</th><th>Address</th><th>Request id</th></tr></thead>
<tbody>
${result.items.map(
  (row) => html`<tr>
<td>${when(row.occurred_at)}</td><td>${row.action ?? ""}</td>
<td class="${row.outcome === "ok" ? "up" : "down"}">${row.outcome ?? ""}${row.error_code ? html` <span class="muted">${row.error_code}</span>` : ""}</td>
<td>${row.key_uuid ? html`<code>${row.key_uuid}</code>${keyName(row.key_uuid) ? html` ${keyName(row.key_uuid)}` : ""}` : row.slack_user_id ? html`Slack ${row.slack_user_id}` : ""}</td>
<td>${domainName(domains, row.domain_uuid) ?? ""}</td><td>${row.face ?? ""}</td><td>${row.address ?? ""}</td><td><code>${row.request_id ?? ""}</code></td>
</tr>`,
)}
</tbody></table>`
    : ""
}
<p>${cursor ? html`<a href="${link("/console/audit", query)}">First page</a> · ` : ""}${
    result?.nextCursor
      ? html`<a href="${link("/console/audit", { ...query, cursor: result.nextCursor })}" rel="next">Next page</a>`
      : ""
  }</p>`;
  return c.html(
    page({ title: "Audit log", current: "/console/audit", signedIn: frameOf(signedIn, domains) }, body),
    error ? errorStatus(error) : 200,
  );
}
