import type { Context } from "hono";
import { html } from "hono/html";
import { errorStatus, errorText } from "../action-errors.ts";
import { optional } from "../form-values.ts";
import { csrfField, type Html, link, notice, page } from "../layout.ts";
import { type ConsoleEnv, seeOther, type SignedIn } from "../session.ts";
import { frameOf } from "./keys.ts";

type DomainPage = Awaited<ReturnType<SignedIn["call"]["domains"]["list"]>>;
type Domain = DomainPage["items"][number];

interface DomainsView {
  error?: unknown;
  done?: string;
  draft?: Record<string, string>;
}

function createForm(signedIn: SignedIn, draft: Record<string, string> = {}): Html {
  if (signedIn.key.domainUuid) {
    return html`<p class="muted">This key is bound to one domain, so it cannot create domains (an admin key bound to no
domain can).</p>`;
  }
  return html`<form method="post" action="/console/domains" class="stack" aria-label="Create a domain">
${csrfField(signedIn.session.csrfToken)}
<label>Domain name <input name="domain_name" required maxlength="255" value="${draft.domain_name ?? ""}"
placeholder="pbx.example.com" spellcheck="false"></label>
<label>Description (optional) <input name="description" maxlength="255" value="${draft.description ?? ""}"></label>
<fieldset><legend>State</legend><label><input type="checkbox" name="enabled" value="true"${
    draft.domain_name && draft.enabled !== "true" ? "" : " checked"
  }> enabled</label></fieldset>
<button type="submit">Create domain</button>
</form>`;
}

function domainRow(signedIn: SignedIn, d: Domain): Html {
  const token = signedIn.session.csrfToken;
  const name = d.domain_name ?? d.domain_uuid;
  return html`<tr data-domain="${d.domain_uuid}">
<td>${name}</td><td><code>${d.domain_uuid}</code></td>
<td><form method="post" action="/console/domains/update" class="filters" aria-label="Change ${name}">
${csrfField(token)}<input type="hidden" name="domain_uuid" value="${d.domain_uuid}">
<label><input type="checkbox" name="enabled" value="true"${d.domain_enabled ? " checked" : ""}> enabled</label>
<label>Description <input name="description" maxlength="255" value="${d.domain_description ?? ""}"></label>
<button type="submit">Save</button></form></td>
<td>${
    signedIn.key.domainUuid
      ? ""
      : html`<form method="post" action="/console/domains/delete" class="filters" aria-label="Delete ${name}">
${csrfField(token)}<input type="hidden" name="domain_uuid" value="${d.domain_uuid}">
<label><input type="checkbox" name="force" value="true"> with everything in it</label>
<button type="submit">Delete</button></form>`
  }</td>
</tr>`;
}

async function render(c: Context<ConsoleEnv>, view: DomainsView) {
  const signedIn = c.get("signedIn");
  const cursor = optional(c.req.query("cursor"));
  let result: DomainPage | null = null;
  let listError: unknown = null;
  try {
    result = await signedIn.call.domains.list({ limit: 100, ...(cursor ? { cursor } : {}) });
  } catch (caught) {
    listError = caught;
  }
  const items = result?.items ?? [];
  const error = view.error ?? listError;
  const body = html`${notice("error", error ? errorText(error) : null)}${notice("ok", view.done)}
${
  items.length === 0
    ? html`<p class="muted">No domains.</p>`
    : html`<table aria-label="Domains">
<thead><tr><th>Name</th><th>Domain uuid</th><th>State and description</th><th></th></tr></thead>
<tbody>${items.map((d) => domainRow(signedIn, d))}</tbody></table>`
}
${result?.nextCursor ? html`<p><a href="${link("/console/domains", { cursor: result.nextCursor })}" rel="next">Next page</a></p>` : ""}
<h2>Create a domain</h2>
${createForm(signedIn, view.draft)}
<p class="muted">Deleting refuses a domain that still holds extensions, numbers, keys or other rows, unless
"with everything in it" is ticked: then all of it goes, and keys bound to the domain are revoked.</p>`;
  const domains = items.map((d) => ({ uuid: d.domain_uuid, name: d.domain_name ?? d.domain_uuid }));
  return c.html(
    page({ title: "Domains", current: "/console/domains", signedIn: frameOf(signedIn, domains) }, body),
    error ? errorStatus(error) : 200,
  );
}

/** A checkbox: ticked sends `true`, unticked sends nothing, which here means false. */
const ticked = (form: Record<string, string>, name: string) => form[name] === "true";

/** `/console/domains`: list (domains.list), create, change and delete (domains.create/update/delete). */
export const domainRoutes = {
  list(c: Context<ConsoleEnv>) {
    const done = c.req.query("done");
    const messages: Record<string, string> = {
      created: "Domain created.",
      updated: "Domain saved.",
      deleted: "Domain deleted.",
    };
    return render(c, { done: done ? messages[done] : undefined });
  },

  async create(c: Context<ConsoleEnv>) {
    const form = c.get("form");
    try {
      await c.get("signedIn").call.domains.create({
        domain_name: form.domain_name?.trim() ?? "",
        enabled: ticked(form, "enabled"),
        description: optional(form.description),
      });
    } catch (error) {
      return render(c, { error, draft: form });
    }
    return seeOther(c, "/console/domains?done=created");
  },

  async update(c: Context<ConsoleEnv>) {
    const form = c.get("form");
    try {
      await c.get("signedIn").call.domains.update({
        domain_uuid: form.domain_uuid ?? "",
        enabled: ticked(form, "enabled"),
        description: form.description?.trim() ?? "",
      });
    } catch (error) {
      return render(c, { error });
    }
    return seeOther(c, "/console/domains?done=updated");
  },

  async remove(c: Context<ConsoleEnv>) {
    const form = c.get("form");
    try {
      await c
        .get("signedIn")
        .call.domains.delete({ domain_uuid: form.domain_uuid ?? "", force: ticked(form, "force") });
    } catch (error) {
      return render(c, { error });
    }
    return seeOther(c, "/console/domains?done=deleted");
  },
};
