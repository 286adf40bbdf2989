import { expect, test } from "bun:test";
import { join } from "node:path";
import { z } from "zod";
import { defineAction } from "../action.ts";
import { actions } from "../registry.ts";
import { actionsMarkdown } from "./describe.ts";
import { coreReadme } from "./readme.ts";
import { pdoBoolean } from "../contracts/pdo.ts";

test("packages/core/README.md is generated from the registry (run `bun run docs` after changing actions)", async () => {
  const onDisk = await Bun.file(join(import.meta.dir, "../../README.md")).text();
  expect(onDisk).toBe(coreReadme(actions));
});

test("the table shows inputs, scopes and outputs of an action", () => {
  const sample = defineAction({
    name: "sample-action",
    path: "samples.get",
    summary: "Reads a sample.",
    scope: "read",
    domain: { by: "input", uuid: "domain_uuid", whenAbsent: "refuse" },
    kind: "query",
    input: z.object({ domain_uuid: z.uuid(), limit: z.number().int().optional() }),
    output: z.object({ ok: pdoBoolean }),
    legacy: { required: ["domain_uuid"] },
    handler: async () => ({ ok: "true" as const }),
  });
  const md = actionsMarkdown([sample]);
  expect(md).toContain("| `sample-action` | `samples.get` | query | read | Reads a sample. |");
  expect(md).toContain("`domain_uuid`: string (uuid)");
  expect(md).toContain("`limit`?: integer");
  expect(md).toContain("`ok`: boolean");
});
