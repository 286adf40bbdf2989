import { parseKeyId, SCOPES, splitList } from "@switchboard/core";
import type { Context } from "hono";
import { html } from "hono/html";
import { errorStatus, errorText } from "../action-errors.ts";
import { domainName, type DomainChoice, visibleDomains } from "../domain-names.ts";
import { localValue, optional, utcTime } from "../form-values.ts";
import { csrfField, type Html, notice, page, when } from "../layout.ts";
import { type ConsoleEnv, seeOther, type SignedIn } from "../session.ts";

type KeyRow = Awaited<ReturnType<SignedIn["call"]["keys"]["list"]>>[number];
type CreatedKey = Awaited<ReturnType<SignedIn["call"]["keys"]["create"]>>;

interface KeysView {
  created?: CreatedKey;
  error?: string;
  done?: string;
  /** The create form as it was sent, refilled after an error. */
  draft?: Record<string, string>;
}

function createForm(signedIn: SignedIn, domains: readonly DomainChoice[], draft: Record<string, string> = {}): Html {
  const chosen = new Set((draft.scopes ?? "read").split(","));
  const bound = signedIn.key.domainUuid;
  return html`<form method="post" action="/console/keys" class="stack" aria-label="Create a key">
${csrfField(signedIn.session.csrfToken)}
<label>Name <input name="name" required maxlength="255" value="${draft.name ?? ""}"></label>
<label>Domain
<select name="domain_uuid">
${bound ? "" : html`<option value="">Every domain (not bound)</option>`}
${domains.map((d) => html`<option value="${d.uuid}"${d.uuid === draft.domain_uuid ? " selected" : ""}>${d.name}</option>`)}
</select></label>
<fieldset><legend>Scopes</legend>
${SCOPES.map(
  (scope) =>
    html`<label><input type="checkbox" name="scopes" value="${scope}"${chosen.has(scope) ? " checked" : ""}> ${scope}</label>`,
)}
</fieldset>
<label>Expires (UTC, optional) <input type="datetime-local" name="expires_at" value="${draft.expires_at ?? ""}"></label>
<button type="submit">Create key</button>
</form>`;
}

function keyTable(signedIn: SignedIn, keys: readonly KeyRow[], domains: readonly DomainChoice[]): Html {
  if (keys.length === 0) return html`<p class="muted">No keys.</p>`;
  return html`<table aria-label="Keys">
<thead><tr><th>Name</th><th>Key id</th><th>Domain</th><th>Scopes</th><th>Created</th><th>Last used</th><th>Expires</th><th></th></tr></thead>
<tbody>
${keys.map(
  (k) => html`<tr data-key="${k.key_uuid}">
<td>${k.name ?? ""}</td><td><code>${k.key_uuid}</code></td>
<td>${domainName(domains, k.domain_uuid) ?? html`<span class="muted">every domain</span>`}</td>
<td>${k.scopes ? k.scopes.join(", ") : html`<span class="muted">all (no policy)</span>`}${k.disabled ? " · disabled" : ""}</td>
<td>${when(k.created)}</td><td>${when(k.last_used)}</td><td>${when(k.expires_at)}</td>
<td><form method="post" action="/console/keys/revoke">
${csrfField(signedIn.session.csrfToken)}<input type="hidden" name="key_uuid" value="${k.key_uuid}">
<button type="submit" aria-label="Revoke ${k.name ?? k.key_uuid}">Revoke</button></form></td>
</tr>`,
)}
</tbody></table>`;
}

async function render(c: Context<ConsoleEnv>, view: KeysView, status: 200 | 400 | 403 | 404 | 409 | 429 | 500 | 503) {
  const signedIn = c.get("signedIn");
  let keys: readonly KeyRow[] = [];
  let listError: string | undefined;
  try {
    keys = await signedIn.call.keys.list();
  } catch (error) {
    listError = errorText(error);
  }
  const domains = await visibleDomains(signedIn).catch(() => []);
  const created = view.created;
  return c.html(
    page(
      { title: "Keys", current: "/console/keys", signedIn: frameOf(signedIn, domains) },
      html`${notice("error", view.error ?? listError)}${notice("ok", view.done)}
${
  created
    ? html`<section class="notice ok" aria-label="New key">
<p>Key <strong>${created.name ?? ""}</strong> created. Its secret is shown <strong>this once</strong>; copy it now.</p>
<p>Key id <code class="key-id">${created.key_uuid}</code></p>
<p>Secret <code class="secret">${created.secret}</code></p>
</section>`
    : ""
}
<h2>Create a key</h2>
${createForm(signedIn, domains, view.created ? {} : view.draft)}
<h2>Keys</h2>
${keyTable(signedIn, keys, domains)}`,
    ),
    status,
  );
}

export const frameOf = (signedIn: SignedIn, domains: readonly DomainChoice[]) => ({
  keyId: signedIn.key.keyId,
  domainName: domainName(domains, signedIn.key.domainUuid),
  csrfToken: signedIn.session.csrfToken,
});

/** `/console/keys`: list, create (the secret shown once, in the answer to the POST only) and revoke. */
export const keyRoutes = {
  list(c: Context<ConsoleEnv>) {
    const revoked = parseKeyId(c.req.query("revoked") ?? "");
    return render(c, { done: revoked ? `Key ${revoked} revoked; it stops working at once.` : undefined }, 200);
  },

  async create(c: Context<ConsoleEnv>) {
    const form = c.get("form");
    const draft = { ...form, expires_at: localValue(utcTime(form.expires_at)) || (form.expires_at ?? "") };
    try {
      const created = await c.get("signedIn").call.keys.create({
        name: form.name ?? "",
        domain_uuid: optional(form.domain_uuid),
        // No box ticked is no scope (refused), not the default set.
        scopes: splitList(form.scopes ?? "") as never,
        expires_at: utcTime(form.expires_at),
      });
      return render(c, { created }, 200);
    } catch (error) {
      return render(c, { error: errorText(error), draft }, errorStatus(error));
    }
  },

  async revoke(c: Context<ConsoleEnv>) {
    const keyUuid = c.get("form").key_uuid ?? "";
    try {
      await c.get("signedIn").call.keys.revoke({ key_uuid: keyUuid });
    } catch (error) {
      return render(c, { error: errorText(error) }, errorStatus(error));
    }
    return seeOther(c, `/console/keys?revoked=${encodeURIComponent(keyUuid)}`);
  },
};
