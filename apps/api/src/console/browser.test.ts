/**
 * The console in a real browser: Debian's Chromium driven by playwright-core. Signs in, creates a key (its
 * secret shown once), finds it listed, revokes it, and reads the audit rows of those steps. On failure a
 * screenshot goes to test-results/. Skipped only where Chromium is not installed and CI is not set.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_DOMAIN_NAME, DEMO_KEY_ID, DEMO_KEY_SECRET } from "@switchboard/db";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { type Harness, startHarness } from "../testing/harness.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const installed = existsSync(CHROMIUM);
const runs = installed || process.env.CI === "true";
const title = runs
  ? "in Chromium: sign in, create a key (secret shown once), see it listed, revoke it, read the audit rows"
  : `in Chromium: skipped, Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;

describe("console in a real browser", () => {
  let h: Harness;
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    if (!runs) return;
    h = await startHarness();
    profile = mkdtempSync(join(tmpdir(), "switchboard-console-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      timeout: 60_000,
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    if (profile) rmSync(profile, { recursive: true, force: true });
    await h?.close();
  }, 60_000);

  (runs ? test : test.skip)(
    title,
    async () => {
      const page: Page = await context.newPage();
      page.setDefaultTimeout(30_000);
      try {
        await page.goto(`${h.origin}/console`);
        expect(new URL(page.url()).pathname).toBe("/console/sign-in");
        await page.getByLabel("Key id").fill(DEMO_KEY_ID);
        await page.getByLabel("Secret").fill(DEMO_KEY_SECRET);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL("**/console/keys");

        // The cookie is invisible to scripts; the secret is nowhere in the browser's storage.
        expect(await page.evaluate("document.cookie")).toBe("");
        const [cookie] = await context.cookies();
        expect(cookie).toMatchObject({
          name: "switchboard_console",
          httpOnly: true,
          sameSite: "Strict",
          path: "/console",
        });
        expect(cookie!.value).not.toContain(DEMO_KEY_SECRET);

        const name = `browser test key ${crypto.randomUUID().slice(0, 8)}`;
        const form = page.getByRole("form", { name: "Create a key" });
        await form.getByLabel("Name").fill(name);
        await form.getByLabel("Domain").selectOption({ label: DEMO_DOMAIN_NAME });
        await form.getByLabel("calls", { exact: true }).check();
        await form.getByRole("button", { name: "Create key" }).click();

        const created = page.getByRole("region", { name: "New key" });
        await created.waitFor();
        const keyId = (await created.locator(".key-id").textContent())!.trim();
        const secret = (await created.locator(".secret").textContent())!.trim();
        expect(keyId).toMatch(/^[0-9a-f-]{36}$/);
        expect(secret).toMatch(/^\S{20}$/);

        // Listed, with its domain and scopes; the secret is not shown again.
        await page.goto(`${h.origin}/console/keys`);
        const row = page.locator(`tr[data-key="${keyId}"]`);
        await expect(row.textContent()).resolves.toContain(name);
        expect(await row.textContent()).toContain(DEMO_DOMAIN_NAME);
        expect(await row.textContent()).toContain("read, calls");
        expect(await page.content()).not.toContain(secret);

        await row.getByRole("button", { name: `Revoke ${name}` }).click();
        await page.waitForURL(`**/console/keys?revoked=${keyId}`);
        expect(await page.getByRole("status").textContent()).toContain(`Key ${keyId} revoked`);
        expect(await page.locator(`tr[data-key="${keyId}"]`).count()).toBe(0);

        // The audit log, filtered to the signed-in key: its sign-in, the key made and the key revoked.
        await h.audit.flush();
        await page.getByRole("link", { name: "Audit log" }).click();
        const filters = page.getByRole("form", { name: "Filter the audit log" });
        await filters.getByLabel("Key id").fill(DEMO_KEY_ID);
        await filters.getByRole("button", { name: "Show" }).click();
        await page.waitForURL(/\/console\/audit\?key_uuid=/);
        // Each page's reads (key-list, audit-list) are audited too; the steps are the rows that change something.
        const table = page.getByRole("table", { name: "Audit log" });
        const actions = await table.locator("tbody tr td:nth-child(2)").allTextContents();
        const outcomes = await table.locator("tbody tr td:nth-child(3)").allTextContents();
        const steps = actions
          .map((action, i) => `${action} ${outcomes[i]}`)
          .filter((row) => /^(key-create|key-revoke|console-sign-in) /.test(row));
        expect(steps).toEqual(["key-revoke ok", "key-create ok", "console-sign-in ok"]);
        expect(actions).toContain("key-list");

        await page.getByRole("button", { name: "Sign out" }).click();
        await page.waitForURL("**/console/sign-in");
        await page.goto(`${h.origin}/console/keys`);
        expect(new URL(page.url()).pathname).toBe("/console/sign-in");
      } catch (error) {
        mkdirSync("test-results", { recursive: true });
        await page.screenshot({ path: "test-results/console-browser-failure.png", fullPage: true }).catch(() => {});
        throw error;
      } finally {
        await page.close();
      }
    },
    180_000,
  );
});
