import { describe, expect, test } from "bun:test";
import type { z } from "zod";
import { actions } from "../registry.ts";
import { pdoTimestamp } from "./pdo.ts";

/** Field names that hold a time in FusionPBX's tables, Switchboard's and FreeSWITCH's answers. */
const TIME_NAME =
  /(_date|_at|_stamp|_epoch|_time)$|^(created|last_used|expires|last_bridge_start|last_bridge_end|last_offered_call|last_status_change)$/;
/** FreeSWITCH's times: epoch seconds as text. */
const EPOCH_NAME = /_epoch$|^expires$|^last_(bridge_start|bridge_end|offered_call|status_change)$/;
/** Durations in seconds, not times. */
const DURATIONS = new Set([
  "wrap_up_time",
  "reject_delay_time",
  "busy_delay_time",
  "no_answer_delay_time",
  "talk_time",
  "ready_time",
]);

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  options?: z.ZodType[];
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  valueType?: z.ZodType;
};
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Whether a field's schema is `pdoTimestamp`, optional or nullable, or piped from or into it. */
function isPdoTimestamp(schema: z.ZodType): boolean {
  if (schema === pdoTimestamp) return true;
  const def = defOf(schema);
  if (def.type === "optional" || def.type === "nullable" || def.type === "default")
    return isPdoTimestamp(def.innerType!);
  // Piped on from it, or into it (FreeSWITCH's epoch seconds, `switchEpoch`).
  if (def.type === "pipe") return isPdoTimestamp(def.in!) || isPdoTimestamp(def.out!);
  return false;
}

/** Every named field of an output contract, with its path: objects, arrays, unions, wrappers. */
function fields(
  schema: z.ZodType,
  path: string,
  out: [string, string, z.ZodType][] = [],
): [string, string, z.ZodType][] {
  const def = defOf(schema);
  switch (def.type) {
    case "object":
      for (const [name, field] of Object.entries(def.shape!)) {
        out.push([`${path}.${name}`, name, field]);
        if (!isPdoTimestamp(field)) fields(field, `${path}.${name}`, out);
      }
      break;
    case "array":
      fields(def.element!, `${path}[]`, out);
      break;
    case "union":
      for (const option of def.options!) fields(option, path, out);
      break;
    case "optional":
    case "nullable":
    case "default":
      fields(def.innerType!, path, out);
      break;
    case "pipe":
      fields(def.in!, path, out);
      break;
  }
  return out;
}

describe("one timestamp format on the typed faces", () => {
  const timeFields = actions.flatMap((action) =>
    fields(action.output, action.name).filter(([, name]) => TIME_NAME.test(name) && !DURATIONS.has(name)),
  );

  test("every time in every action's output contract is pdoTimestamp (ISO 8601 UTC with Z)", () => {
    const others = timeFields.filter(([, , schema]) => !isPdoTimestamp(schema)).map(([path]) => path);
    expect(others).toEqual([]);
    // The walk reaches rows, list items and plain results alike.
    for (const path of [
      "domain-details.insert_date",
      "ringgroup-details.destinations[].insert_date",
      "cdr-list.items[].start_stamp",
      "audit-list.items[].occurred_at",
      "key-create.expires_at",
      "call-status.created_at",
      "call-status.ended_at",
    ])
      expect(timeFields.map(([p]) => p)).toContain(path);
  });

  test("FreeSWITCH's rows: epoch seconds become UTC with Z, 0 (never) null; a channel's local time follows its epoch", () => {
    const epochs = timeFields.filter(([, name]) => EPOCH_NAME.test(name));
    expect(epochs.map(([p]) => p)).toEqual(
      expect.arrayContaining([
        "registrations[].expires",
        "callcenter-agents[].last_status_change",
        "status.created_epoch",
      ]),
    );
    for (const [path, , schema] of epochs) {
      expect([path, schema.parse("1682974324")]).toEqual([path, "2023-05-01T20:52:04.000Z"]);
      expect([path, schema.parse("0")]).toEqual([path, null]);
    }
    const channel = actions.find((a) => a.name === "status")!;
    expect(channel.output.parse({ uuid: "u", created: "2023-05-01 13:52:04", created_epoch: "1682974324" })).toEqual({
      uuid: "u",
      created: "2023-05-01T20:52:04.000Z",
      created_epoch: "2023-05-01T20:52:04.000Z",
    });
  });

  test("each of them turns PostgreSQL's text, any offset, into UTC with Z and keeps null", () => {
    const fromPostgres = timeFields.filter(([path, name]) => !EPOCH_NAME.test(name) && path !== "status.created");
    for (const [path, , schema] of fromPostgres) {
      expect([path, schema.parse("2023-05-01 13:52:04.5-07")]).toEqual([path, "2023-05-01T20:52:04.500Z"]);
      expect([path, schema.parse("2023-05-01T20:52:04+00:00")]).toEqual([path, "2023-05-01T20:52:04.000Z"]);
      if (!path.endsWith("call-status.created_at")) expect(schema.parse(null)).toBeNull();
    }
  });
});
