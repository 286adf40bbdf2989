import { type AnyAction, describeFields, type FieldDoc, legacyParamsOf } from "@switchboard/core";
import { LEGACY_PATH } from "../legacy/rest-php.ts";
import { clientExample, legacyCurlExample, trpcCurlExample } from "./examples.ts";
import { openApiDocument } from "./openapi.ts";

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

interface DocumentView {
  components: { schemas: Record<string, unknown> };
  paths: Record<
    string,
    {
      post: {
        responses: Record<string, { description: string }>;
        "x-switchboard-actions": Record<string, { responses: Record<string, { $ref: string }> }>;
      };
    }
  >;
}

function fieldRows(fields: FieldDoc[]): string {
  if (fields.length === 0) return "<p>No parameters.</p>";
  const rows = fields
    .map(
      (f) =>
        `<tr><td><code>${escapeHtml(f.name)}</code></td><td>${escapeHtml(f.type.replaceAll("\\|", "|"))}</td><td>${f.required ? "yes" : "no"}</td><td>${escapeHtml(f.description ?? "")}</td></tr>`,
    )
    .join("");
  return `<table><thead><tr><th>parameter</th><th>type</th><th>required</th><th>notes</th></tr></thead><tbody>${rows}</tbody></table>`;
}

const schemaName = (ref: { $ref: string }) => ref.$ref.replace("#/components/schemas/", "");

function example(face: string, action: AnyAction, text: string): string {
  return `<pre data-example="${face}" data-action="${escapeHtml(action.name)}">${escapeHtml(text)}</pre>`;
}

function actionSection(action: AnyAction, origin: string, doc: DocumentView): string {
  const operation = Object.values(doc.paths)[0]!.post;
  const entry = operation["x-switchboard-actions"][action.name]!;
  const legacyRequired = new Set(action.legacy?.required ?? []);
  const legacyFields = describeFields(legacyParamsOf(action), "input").map((f) => ({
    ...f,
    required: f.required || legacyRequired.has(f.name),
  }));
  const typedFields = describeFields(action.input, "input");
  const renamed = action.legacy?.params !== undefined;
  const body = doc.components.schemas[schemaName(entry.responses["200"]!)];
  const errors = Object.entries(entry.responses)
    .filter(([status]) => status !== "200")
    .map(
      ([status, ref]) =>
        `<li><code>${status}</code> ${escapeHtml(operation.responses[status]?.description ?? "")} (<code>${escapeHtml(schemaName(ref))}</code>)</li>`,
    )
    .join("");
  return `<section id="${escapeHtml(action.name)}" data-search="${escapeHtml(`${action.name} ${action.path} ${action.summary}`.toLowerCase())}">
<h2><code>${escapeHtml(action.name)}</code> <small>tRPC <code>${escapeHtml(action.path)}</code> · ${action.kind} · scope <code>${action.scope}</code></small></h2>
<p>${escapeHtml(action.summary)}</p>
<h3>Parameters${renamed ? " (legacy route: the original's names)" : ""}</h3>
${fieldRows(legacyFields)}
${renamed ? `<h3>Parameters (tRPC and the client)</h3>${fieldRows(typedFields)}` : ""}
<h3>Response (HTTP 200 on the legacy route)</h3>
<details><summary>JSON Schema</summary><pre>${escapeHtml(JSON.stringify(body, null, 2))}</pre></details>
<h3>Errors</h3><ul>${errors}</ul>
<h3>Examples</h3>
<p>curl, legacy route:</p>${example("legacy", action, legacyCurlExample(action, origin))}
<p>curl, tRPC:</p>${example("trpc", action, trpcCurlExample(action, origin))}
<p>TypeScript, <code>@switchboard/client</code>:</p>${example("client", action, clientExample(action, origin))}
</section>`;
}

const SEARCH_SCRIPT = `const input = document.getElementById("search");
input.addEventListener("input", () => {
  const words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
  for (const section of document.querySelectorAll("section[data-search]")) {
    const text = section.dataset.search + " " + section.textContent.toLowerCase();
    section.hidden = !words.every((w) => text.includes(w));
  }
  for (const item of document.querySelectorAll("li[data-action]")) {
    item.hidden = document.getElementById(item.dataset.action).hidden;
  }
});`;

/**
 * Where the reference is served besides `/`: inside FusionPBX's nginx server `/` is FusionPBX's own page,
 * so deploy/nginx/switchboard.conf routes this prefix to Switchboard. Links in the page are relative.
 */
export const REFERENCE_PREFIX = "/switchboard/";

/** The page's Content-Security-Policy: nothing but its own inline style and script (by nonce). */
export function docsPageCsp(nonce: string): string {
  return `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

/**
 * `GET /`: the API reference, built from the OpenAPI document: every action with its parameters (legacy
 * names and typed ones), its 200 body schema, its errors and three examples that run against the demo.
 */
export function docsPage(list: readonly AnyAction[], origin: string, nonce: string): string {
  const doc = openApiDocument(list, origin) as unknown as DocumentView;
  const index = list
    .map(
      (a) =>
        `<li data-action="${escapeHtml(a.name)}"><a href="#${escapeHtml(a.name)}"><code>${escapeHtml(a.name)}</code></a> ${escapeHtml(a.summary)}</li>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchboard API reference</title>
<style nonce="${nonce}">body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
pre{background:#f4f4f4;padding:.6rem;overflow-x:auto;white-space:pre-wrap}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}
small{font-weight:normal;color:#555}section{border-top:1px solid #ddd;margin-top:1.5rem}#search{font-size:1rem;padding:.3rem;width:20rem}</style></head>
<body><h1>Switchboard API reference</h1>
<p>The same ${list.length} actions on two faces. <strong>Legacy</strong>: <code>${escapeHtml(origin + LEGACY_PATH)}</code>, any method,
a JSON body naming the <code>action</code>, HTTP Basic <code>key_uuid:secret</code>: every script written for the FusionPBX REST API works unchanged.
Bodies are the original's (numbers and 5.1 flags as text, lists as bare arrays).
<strong>tRPC</strong>: <code>${escapeHtml(origin)}/trpc/&lt;path&gt;</code> with Basic or <code>Authorization: Bearer key_uuid:secret</code>;
TypeScript projects install <code>@switchboard/client</code> (<code>npm run client:pack</code> in the Switchboard repository writes its tarball).
Also: <a href="health">/health</a>, <a href="openapi.json">/openapi.json</a> (OpenAPI 3.1 of the legacy route, which this page is built from),
and the <a href="/console/">web console</a> for admins (sign in with an <code>admin</code> key: keys, audit log, calls, domains, health).</p>
<p>The examples use the demo that <code>npm start</code> serves; set <code>SB_KEY_ID</code> and <code>SB_SECRET</code> to the key it prints.</p>
<h2>Names that surprise</h2>
<ul><li><code>originate</code>: <strong><code>destination_b</code> rings first</strong>; once it answers it is connected to <code>destination_a</code>
(on tRPC: <code>ring_first</code> and <code>connect_to</code>).</li>
<li><code>originate-playback-file</code>: <code>cid</code> is the caller id number and <code>to</code> the number rung; <code>file</code> is a path under
FreeSWITCH's sounds directory (plain segments, no <code>..</code>) or an http(s) URL without quotes, spaces, parentheses, braces, commas or <code>$</code>.</li>
<li><code>ringgroup-create</code>: <code>destinations</code> is a string holding a JSON array of <code>{"number": …}</code> on the legacy route, an array on tRPC.</li></ul>
<p><label>Search actions: <input id="search" type="search" placeholder="extension, calls, delete…"></label></p>
<ul>${index}</ul>
${list.map((a) => actionSection(a, origin, doc)).join("\n")}
<script nonce="${nonce}">${SEARCH_SCRIPT}</script>
</body></html>`;
}
