import { describe, expect, test } from "bun:test";
import { actions, legacyErrorStatuses } from "@switchboard/core";
import { docsPage, docsPageCsp } from "./docs-page.ts";

describe("the API reference page", () => {
  const html = docsPage(actions, "http://127.0.0.1:3000", "n0nce");

  test("runs only its own script and style, by nonce (strict CSP, no inline handler)", () => {
    const csp = docsPageCsp("n0nce");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'nonce-n0nce'");
    expect(csp).not.toContain("unsafe");
    expect([...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1])).toEqual([' nonce="n0nce"']);
    expect(html).not.toMatch(/\son[a-z]+=/);
  });

  test("is searchable, and each action has parameters, a response schema, errors and three examples", () => {
    expect(html).toContain('<input id="search" type="search"');
    for (const action of actions) {
      const start = html.indexOf(`<section id="${action.name}"`);
      expect(start).toBeGreaterThan(0);
      const section = html.slice(start, html.indexOf("</section>", start));
      expect(section).toContain("<h3>Parameters");
      expect(section).toContain("<h3>Response (HTTP 200 on the legacy route)</h3>");
      // Exactly the statuses this action can answer, in order.
      const listed = [...section.slice(section.indexOf("<h3>Errors</h3>")).matchAll(/<li><code>(\d{3})<\/code>/g)];
      expect(listed.map((m) => Number(m[1]))).toEqual(legacyErrorStatuses(action));
      for (const face of ["legacy", "trpc", "client"])
        expect(section).toContain(`data-example="${face}" data-action="${action.name}"`);
    }
  });

  test("explains the legacy names that surprise", () => {
    expect(html).toContain("<strong><code>destination_b</code> rings first</strong>");
    expect(html).toMatch(/<code>file<\/code> is a path under\s+FreeSWITCH's sounds directory/);
  });
});
