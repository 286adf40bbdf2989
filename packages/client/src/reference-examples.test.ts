import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EXAMPLES_RUN_LAST as RUN_LAST } from "@switchboard/api";
import { type Harness, startHarness } from "@switchboard/api/testing";
import { actions } from "@switchboard/core";
import { DEMO_KEY_ID, DEMO_KEY_SECRET } from "@switchboard/db";

/** Every example printed on the API reference (`GET /`), as printed, run against a fresh demo per face. */
const scratch = join(import.meta.dir, "..", ".reference-examples");

const unescapeHtml = (text: string) =>
  text.replace(
    /&(lt|gt|quot|#39|amp);/g,
    (_, name: string) => ({ lt: "<", gt: ">", quot: '"', "#39": "'", amp: "&" })[name]!,
  );

function examplesOf(html: string, face: string): { action: string; text: string }[] {
  const found = [...html.matchAll(/<pre data-example="([a-z]+)" data-action="([a-z-]+)">([\s\S]*?)<\/pre>/g)]
    .filter((m) => m[1] === face)
    .map((m) => ({ action: m[2]!, text: unescapeHtml(m[3]!) }));
  const rank = (action: string) => RUN_LAST.indexOf(action);
  return [
    ...found.filter((e) => rank(e.action) < 0),
    ...found.filter((e) => rank(e.action) >= 0).sort((a, b) => rank(a.action) - rank(b.action)),
  ];
}

const env = { ...process.env, SB_KEY_ID: DEMO_KEY_ID, SB_SECRET: DEMO_KEY_SECRET };

async function run(cmd: string[]) {
  const proc = Bun.spawn(cmd, { env, stdout: "pipe", stderr: "pipe", cwd: scratch });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { stdout, stderr, code };
}

/** A field of an example's answer, on any face (legacy body, tRPC envelope, client output). */
function printed(stdout: string, field: string): string {
  const body = JSON.parse(stdout) as Record<string, unknown> & { result?: { data?: Record<string, unknown> } };
  return String(body[field] ?? body.result?.data?.[field] ?? "");
}

/** The original's own HTTP 200 answer for an empty registration list (the demo has no phone registered). */
const DOCUMENTED_EMPTY = new Set(['{"error":"No registrations found"}']);

/** What "it worked" means on each face: the legacy body is no failure, tRPC has a result, the client exits 0. */
function failureOf(face: string, out: { stdout: string; stderr: string; code: number }): string | null {
  if (out.code !== 0) return `exit ${out.code}: ${out.stderr.slice(0, 300)}`;
  if (face === "client") return out.stderr === "" ? null : out.stderr.slice(0, 300);
  if (face === "legacy" && DOCUMENTED_EMPTY.has(out.stdout.trim())) return null;
  let body: unknown;
  try {
    body = JSON.parse(out.stdout);
  } catch {
    return `not JSON: ${out.stdout.slice(0, 300)}`;
  }
  if (face === "trpc") return body && typeof body === "object" && "result" in body ? null : out.stdout.slice(0, 300);
  const failed =
    body === false ||
    (body !== null &&
      typeof body === "object" &&
      ("error" in body || (body as { success?: unknown }).success === false));
  return failed ? out.stdout.slice(0, 300) : null;
}

describe("every example on the API reference runs as printed", () => {
  beforeAll(() => mkdirSync(scratch, { recursive: true }));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  for (const face of ["legacy", "trpc", "client"]) {
    describe(face, () => {
      let h: Harness;
      beforeAll(async () => {
        h = await startHarness();
      });
      afterAll(async () => {
        await h?.close();
      });

      test(`every action's ${face} example succeeds against the demo`, async () => {
        const html = await (await fetch(`${h.origin}/`)).text();
        const examples = examplesOf(html, face);
        expect(examples.map((e) => e.action).sort()).toEqual(actions.map((a) => a.name).sort());
        const failures: string[] = [];
        let callUuid = "";
        let webhookUuid = "";
        for (const example of examples) {
          // The page says: the call status examples take the call_uuid the originate example printed.
          // And the webhook examples take the webhook_uuid the webhook-create example printed.
          example.text = example.text
            .replaceAll("<call_uuid>", callUuid)
            .replaceAll(encodeURIComponent("<call_uuid>"), callUuid)
            .replaceAll("<webhook_uuid>", webhookUuid)
            .replaceAll(encodeURIComponent("<webhook_uuid>"), webhookUuid);
          let out: { stdout: string; stderr: string; code: number };
          if (face === "client") {
            const file = join(scratch, `${example.action}.ts`);
            writeFileSync(file, example.text);
            out = await run(["bun", "run", file]);
          } else {
            out = await run(["bash", "-c", example.text]);
          }
          if (example.action === "originate") callUuid = printed(out.stdout, "call_uuid");
          if (example.action === "webhook-create") webhookUuid = printed(out.stdout, "webhook_uuid");
          const failure = failureOf(face, out);
          if (failure) failures.push(`${example.action}: ${failure}`);
        }
        expect(failures).toEqual([]);
      }, 240_000);
    });
  }
});
