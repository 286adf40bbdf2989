import { describe, expect, test } from "bun:test";
import {
  parseCount,
  parseErrCause,
  parseOkUuid,
  parseOriginateReply,
  parsePipeTable,
  parseReloadxml,
  parseShowJson,
} from "./parsers.ts";

describe("reply parsers", () => {
  test("+OK <uuid> and -ERR <cause>", () => {
    expect(parseOkUuid("+OK 2b1c4c7e-3f0a-4c55-9d56-7d1a3e9f0c11\n")).toBe("2b1c4c7e-3f0a-4c55-9d56-7d1a3e9f0c11");
    expect(parseOkUuid("+OK [Success]\n")).toBeNull();
    expect(parseErrCause("-ERR USER_BUSY\n")).toBe("USER_BUSY");
    expect(parseErrCause("-USAGE: <uuid> [cause]\n")).toBe("<uuid> [cause]");
    expect(parseErrCause("+OK\n")).toBeNull();
    expect(parseOriginateReply("-ERR NO_ANSWER\n")).toEqual({ ok: false, cause: "NO_ANSWER" });
    expect(parseOriginateReply("+OK 2b1c4c7e-3f0a-4c55-9d56-7d1a3e9f0c11\n")).toEqual({
      ok: true,
      uuid: "2b1c4c7e-3f0a-4c55-9d56-7d1a3e9f0c11",
    });
  });

  test("show … as json, including the no-rows form", () => {
    expect(parseShowJson('{"row_count": 0}\n')).toEqual([]);
    expect(parseShowJson('{"row_count":1,"rows":[{"reg_user":"1001","realm":"example.com"}]}')).toEqual([
      { reg_user: "1001", realm: "example.com" },
    ]);
    expect(() => parseShowJson("-ERR show Command not found!\n")).toThrow();
  });

  test("callcenter pipe tables", () => {
    const reply =
      "name|instance_id|uuid|type|contact|status|state|max_no_answer|wrap_up_time|reject_delay_time|busy_delay_time|no_answer_delay_time|last_bridge_start|last_bridge_end|last_offered_call|last_status_change|no_answer_count|calls_answered|talk_time|ready_time|external_calls_count\n" +
      "1000@default|single_box||callback|[leg_timeout=10]user/1000@default|Available|Waiting|3|10|10|60|0|0|0|1593414818|1593423623|0|0|0|0|0\n+OK\n";
    const rows = parsePipeTable(reply);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      name: "1000@default",
      contact: "[leg_timeout=10]user/1000@default",
      status: "Available",
      external_calls_count: "0",
    });
    expect(parsePipeTable("+OK\n")).toEqual([]);
    expect(() => parsePipeTable("-ERR Invalid!\n")).toThrow();
    expect(() => parsePipeTable("garbage\n")).toThrow();
  });

  test("reloadxml reports XML errors hidden behind +OK; counts", () => {
    expect(parseReloadxml("+OK [Success]\n")).toEqual({ ok: true, message: "Success" });
    expect(parseReloadxml("+OK [error near line 3]\n")).toEqual({ ok: false, message: "error near line 3" });
    expect(parseCount("0\n")).toBe(0);
    expect(() => parseCount("-ERR x\n")).toThrow();
  });
});
