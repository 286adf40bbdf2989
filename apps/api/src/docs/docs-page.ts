import { type AnyAction, describeFields, describeShape, type FieldDoc } from "@switchboard/core";
import { LEGACY_PATH } from "../legacy/rest-php.ts";

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

const placeholders = (names: Iterable<string>) => Object.fromEntries([...new Set(names)].map((name) => [name, `<${name}>`]));

/** A minimal typed input: the fields the schema requires, or the first field when none is required. */
function exampleInput(fields: FieldDoc[]): Record<string, string> {
  const required = fields.filter((f) => f.required).map((f) => f.name);
  return placeholders(required.length > 0 || fields.length === 0 ? required : [fields[0]!.name]);
}

/**
 * A minimal legacy body: the original's required parameters. When the action maps a legacy body onto its
 * own input (`toInput`) and names required parameters, the typed field names may differ and are left out.
 */
function exampleLegacyBody(action: AnyAction, fields: FieldDoc[]): Record<string, string> {
  const required = action.legacy?.required ?? [];
  if (action.legacy?.toInput && required.length > 0) return placeholders(required);
  return { ...placeholders(required), ...exampleInput(fields) };
}

export function legacyCurl(action: AnyAction, origin: string, fields = describeFields(action.input, "input")): string {
  const body = JSON.stringify({ action: action.name, ...exampleLegacyBody(action, fields) });
  return `curl -s --user "<key_uuid>:<secret>" -d '${body}' ${origin}${LEGACY_PATH}`;
}

export function trpcCurl(action: AnyAction, origin: string, fields = describeFields(action.input, "input")): string {
  const input = JSON.stringify(exampleInput(fields));
  if (action.kind === "query") {
    return `curl -s -H "Authorization: Bearer <key_uuid>:<secret>" '${origin}/trpc/${action.path}?input=${encodeURIComponent(input)}'`;
  }
  return `curl -s -H "Authorization: Bearer <key_uuid>:<secret>" -H 'Content-Type: application/json' -d '${input}' ${origin}/trpc/${action.path}`;
}

function fieldRows(fields: FieldDoc[], legacyRequired: readonly string[]): string {
  if (fields.length === 0) return "<p>No parameters.</p>";
  const rows = fields
    .map(
      (f) =>
        `<tr><td><code>${escapeHtml(f.name)}</code></td><td>${escapeHtml(f.type.replaceAll("\\|", "|"))}</td><td>${f.required || legacyRequired.includes(f.name) ? "yes" : "no"}</td><td>${escapeHtml(f.description ?? "")}</td></tr>`,
    )
    .join("");
  return `<table><thead><tr><th>parameter</th><th>type</th><th>required</th><th>notes</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function actionSection(action: AnyAction, origin: string): string {
  const fields = describeFields(action.input, "input");
  const call = `await client.${action.path}.${action.kind === "query" ? "query" : "mutate"}(${JSON.stringify(exampleInput(fields))})`;
  const legacyRequired = action.legacy?.required ?? [];
  return `<section id="${escapeHtml(action.name)}">
<h2><code>${escapeHtml(action.name)}</code> <small>tRPC <code>${escapeHtml(action.path)}</code> · ${action.kind} · scope <code>${action.scope}</code></small></h2>
<p>${escapeHtml(action.summary)}</p>
${fieldRows(fields, action.legacy?.toInput ? [] : legacyRequired)}
<p>Legacy route: required parameters ${legacyRequired.length ? legacyRequired.map((n) => `<code>${escapeHtml(n)}</code>`).join(", ") : "none"}${action.legacy?.toInput ? " (the legacy body uses the original's parameter names)" : ""}.</p>
<p>Returns: ${escapeHtml(describeShape(action.output).replaceAll("\\|", "|"))}</p>
<h3>Legacy route</h3><pre>${escapeHtml(legacyCurl(action, origin, fields))}</pre>
<h3>tRPC</h3><pre>${escapeHtml(trpcCurl(action, origin, fields))}</pre><pre>${escapeHtml(call)}</pre>
</section>`;
}

/**
 * Where the reference is served besides `/`: inside FusionPBX's nginx server `/` is FusionPBX's own page,
 * so deploy/nginx/switchboard.conf routes this prefix to Switchboard. Links in the page are relative.
 */
export const REFERENCE_PREFIX = "/switchboard/";

/** `GET /`: every action of the registry with its parameters and a ready example for each face. */
export function docsPage(list: readonly AnyAction[], origin: string): string {
  const index = list.map((a) => `<li><a href="#${escapeHtml(a.name)}"><code>${escapeHtml(a.name)}</code></a> — ${escapeHtml(a.summary)}</li>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchboard API</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
pre{background:#f4f4f4;padding:.6rem;overflow-x:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}
small{font-weight:normal;color:#555}section{border-top:1px solid #ddd;margin-top:1.5rem}</style></head>
<body><h1>Switchboard API</h1>
<p>Two faces over the same ${list.length} actions. <strong>Legacy</strong>: <code>${escapeHtml(origin + LEGACY_PATH)}</code>, any method,
a JSON body naming the <code>action</code>, HTTP Basic <code>key_uuid:secret</code> — every script written for the FusionPBX REST API works unchanged.
<strong>tRPC</strong>: <code>${escapeHtml(origin)}/trpc/&lt;path&gt;</code> with Basic or <code>Authorization: Bearer key_uuid:secret</code>;
TypeScript clients import <code>type AppRouter</code> from <code>@switchboard/api</code>.
Also: <a href="health">health</a>, <a href="openapi.json">openapi.json</a> (the legacy route).</p>
<p>TypeScript client:</p>
<pre>${escapeHtml(`import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { AppRouter } from "@switchboard/api";
const client = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: "${origin}/trpc", headers: { authorization: "Bearer <key_uuid>:<secret>" } })],
});`)}</pre>
<ul>${index}</ul>
${list.map((a) => actionSection(a, origin)).join("\n")}
</body></html>`;
}
