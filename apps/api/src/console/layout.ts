import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

/** Markup built with `html```: every interpolated string is escaped; nested `html``` fragments are kept. */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export const NAV = [
  { path: "/console/keys", label: "Keys" },
  { path: "/console/audit", label: "Audit log" },
  { path: "/console/calls", label: "Calls" },
  { path: "/console/domains", label: "Domains" },
  { path: "/console/health", label: "Health" },
] as const;

export interface PageFrame {
  title: string;
  /** The current page's path, marked in the navigation; absent on the sign-in page (no navigation). */
  current?: string;
  /** Who is signed in, shown with the sign-out button. */
  signedIn?: { keyId: string; domainName: string | null; csrfToken: string };
}

/** The one page frame: title, navigation, the signed-in key and its sign-out form, then the page body. */
export function page(frame: PageFrame, body: Html): Html {
  const who = frame.signedIn;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · Switchboard console</title>
<link rel="stylesheet" href="/console/console.css">
</head>
<body>
<header>
<strong class="brand">Switchboard console</strong>
${
  who
    ? html`<nav>${NAV.map(
        (item) =>
          html`<a href="${item.path}"${item.path === frame.current ? html` aria-current="page"` : ""}>${item.label}</a>`,
      )}</nav>
<form method="post" action="/console/sign-out" class="sign-out">
<span>Key <code>${who.keyId}</code>${who.domainName ? html` · domain ${who.domainName}` : html` · every domain`}</span>
${csrfField(who.csrfToken)}
<button type="submit">Sign out</button>
</form>`
    : ""
}
</header>
<main>
<h1>${frame.title}</h1>
${body}
</main>
</body>
</html>`;
}

/** The hidden field every form of a session carries (see csrf.ts). */
export const csrfField = (token: string): Html => html`<input type="hidden" name="csrf" value="${token}">`;

/** A message box: what happened, in the user's words. */
export function notice(kind: "ok" | "error", text: string | null | undefined): Html | string {
  if (!text) return "";
  return html`<p class="notice ${kind}" role="${kind === "error" ? "alert" : "status"}">${text}</p>`;
}

/** A time as people read it: ISO 8601 in UTC to the second, or a dash. */
export function when(value: string | null | undefined): string {
  if (!value) return "—";
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? value : `${time.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** `/console/audit?x=1&y=2` from the non-empty values given (each URL-encoded; the markup escapes the rest). */
export function link(path: string, query: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
