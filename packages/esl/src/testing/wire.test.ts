import { describe, expect, test } from "bun:test";
import { parseJsonEvent, parsePlainEvent } from "../event-parser.ts";
import {
  apiResponseFrame,
  CommandReader,
  disconnectNoticeFrame,
  eventFrame,
  type HeaderList,
  switchUrlEncode,
} from "./wire.ts";

// Frames as FreeSWITCH writes them, built by hand from the formats of docs/event-socket.md §4 and §5.
const BACKGROUND_JOB_HEADERS: HeaderList = [
  ["Event-Name", "BACKGROUND_JOB"],
  ["Core-UUID", "2130a7d1-c1f7-44cd-8fae-8ed5946f3cec"],
  ["FreeSWITCH-Hostname", "pbx1"],
  ["FreeSWITCH-Switchname", "pbx1"],
  ["FreeSWITCH-IPv4", "192.0.2.10"],
  ["FreeSWITCH-IPv6", "::1"],
  ["Event-Date-Local", "2024-05-01 12:00:00"],
  ["Event-Date-GMT", "Wed, 01 May 2024 12:00:00 GMT"],
  ["Event-Date-Timestamp", "1714564800123456"],
  ["Event-Calling-File", "mod_event_socket.c"],
  ["Event-Calling-Function", "api_exec"],
  ["Event-Calling-Line-Number", "1580"],
  ["Event-Sequence", "4321"],
  ["Job-UUID", "7f4de4b6-8a4e-4d27-9a7c-3c1d2b0e9f10"],
  ["Job-Command", "originate"],
  ["Job-Command-Arg", "{origination_caller_id_number=1001}user/1002@example.com &park"],
];

export const BACKGROUND_JOB_PLAIN =
  "Content-Length: 647\nContent-Type: text/event-plain\n\n" +
  "Event-Name: BACKGROUND_JOB\n" +
  "Core-UUID: 2130a7d1-c1f7-44cd-8fae-8ed5946f3cec\n" +
  "FreeSWITCH-Hostname: pbx1\n" +
  "FreeSWITCH-Switchname: pbx1\n" +
  "FreeSWITCH-IPv4: 192.0.2.10\n" +
  "FreeSWITCH-IPv6: %3A%3A1\n" +
  "Event-Date-Local: 2024-05-01%2012%3A00%3A00\n" +
  "Event-Date-GMT: Wed,%2001%20May%202024%2012%3A00%3A00%20GMT\n" +
  "Event-Date-Timestamp: 1714564800123456\n" +
  "Event-Calling-File: mod_event_socket.c\n" +
  "Event-Calling-Function: api_exec\n" +
  "Event-Calling-Line-Number: 1580\n" +
  "Event-Sequence: 4321\n" +
  "Job-UUID: 7f4de4b6-8a4e-4d27-9a7c-3c1d2b0e9f10\n" +
  "Job-Command: originate\n" +
  "Job-Command-Arg: %7Borigination_caller_id_number%3D1001%7Duser/1002%40example.com%20%26park\n" +
  "Content-Length: 15\n\n" +
  "-ERR USER_BUSY\n";

export const BACKGROUND_JOB_JSON =
  "Content-Length: 674\nContent-Type: text/event-json\n\n" +
  '{"Event-Name":"BACKGROUND_JOB","Core-UUID":"2130a7d1-c1f7-44cd-8fae-8ed5946f3cec","FreeSWITCH-Hostname":"pbx1","FreeSWITCH-Switchname":"pbx1","FreeSWITCH-IPv4":"192.0.2.10","FreeSWITCH-IPv6":"::1","Event-Date-Local":"2024-05-01 12:00:00","Event-Date-GMT":"Wed, 01 May 2024 12:00:00 GMT","Event-Date-Timestamp":"1714564800123456","Event-Calling-File":"mod_event_socket.c","Event-Calling-Function":"api_exec","Event-Calling-Line-Number":"1580","Event-Sequence":"4321","Job-UUID":"7f4de4b6-8a4e-4d27-9a7c-3c1d2b0e9f10","Job-Command":"originate","Job-Command-Arg":"{origination_caller_id_number=1001}user/1002@example.com &park","Content-Length":"15","_body":"-ERR USER_BUSY\\n"}';

const CHANNEL_ANSWER_HEADERS: HeaderList = [
  ["Event-Name", "CHANNEL_ANSWER"],
  ["Core-UUID", "2130a7d1-c1f7-44cd-8fae-8ed5946f3cec"],
  ["Event-Date-Timestamp", "1714564805123456"],
  ["Event-Sequence", "4330"],
  ["Channel-State", "CS_EXECUTE"],
  ["Channel-Call-State", "ACTIVE"],
  ["Channel-Name", "sofia/internal/1001@example.com"],
  ["Unique-ID", "2b1c4c7e-3f0a-4c55-9d56-7d1a3e9f0c11"],
  ["Call-Direction", "outbound"],
  ["Answer-State", "answered"],
  ["Caller-Caller-ID-Name", "Front Desk"],
  ["Caller-Caller-ID-Number", "1001"],
  ["Caller-Destination-Number", "1001"],
  ["Caller-Context", "example.com"],
  ["variable_domain_name", "example.com"],
];

describe("server frames match the frame formats of docs/event-socket.md", () => {
  test("BACKGROUND_JOB, plain (docs/event-socket.md §4, §5)", () => {
    expect(eventFrame("plain", BACKGROUND_JOB_HEADERS, "-ERR USER_BUSY\n")).toBe(BACKGROUND_JOB_PLAIN);
  });

  test("BACKGROUND_JOB, json (docs/event-socket.md §4, §5)", () => {
    expect(eventFrame("json", BACKGROUND_JOB_HEADERS, "-ERR USER_BUSY\n")).toBe(BACKGROUND_JOB_JSON);
  });

  test("CHANNEL_ANSWER without a body: plain is 493 bytes ending in a blank line, json is 534 (docs/event-socket.md §5)", () => {
    const plain = eventFrame("plain", CHANNEL_ANSWER_HEADERS);
    expect(
      plain.startsWith("Content-Length: 493\nContent-Type: text/event-plain\n\nEvent-Name: CHANNEL_ANSWER\n"),
    ).toBe(true);
    expect(plain).toContain("Channel-Name: sofia/internal/1001%40example.com\n");
    expect(plain).toContain("Caller-Caller-ID-Name: Front%20Desk\n");
    expect(plain.endsWith("variable_domain_name: example.com\n\n")).toBe(true);
    const json = eventFrame("json", CHANNEL_ANSWER_HEADERS);
    expect(json.startsWith("Content-Length: 534\nContent-Type: text/event-json\n\n{")).toBe(true);
    expect(json).toContain('"Channel-Name":"sofia/internal/1001@example.com"');
    expect(json).toContain('"Caller-Caller-ID-Name":"Front Desk"');
  });

  test("api/response and the disconnect notice (docs/event-socket.md §1, §3)", () => {
    expect(apiResponseFrame("-ERR foo Command not found!\n")).toBe(
      "Content-Type: api/response\nContent-Length: 28\n\n-ERR foo Command not found!\n",
    );
    expect(disconnectNoticeFrame()).toBe(
      "Content-Type: text/disconnect-notice\nContent-Length: 67\n\nDisconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n",
    );
  });

  test("Content-Length counts bytes, not characters", () => {
    expect(apiResponseFrame("José\n")).toBe("Content-Type: api/response\nContent-Length: 6\n\nJosé\n");
  });

  test("url encoding: uppercase hex, UTF-8 bytes, existing %XX kept, / , ' ( ) left alone", () => {
    expect(switchUrlEncode("a b:c@d{e}|f")).toBe("a%20b%3Ac%40d%7Be%7D%7Cf");
    expect(switchUrlEncode("José")).toBe("Jos%C3%A9");
    expect(switchUrlEncode("50%2F%zz")).toBe("50%2F%25zz");
    expect(switchUrlEncode("/,-._~!*'()$")).toBe("/,-._~!*'()$");
  });
});

describe("client-side event parsing round-trips the literal frames", () => {
  test("plain: headers decoded, inner body by its Content-Length", () => {
    const payload = BACKGROUND_JOB_PLAIN.slice(BACKGROUND_JOB_PLAIN.indexOf("\n\n") + 2);
    const event = parsePlainEvent(payload);
    expect(event.name).toBe("BACKGROUND_JOB");
    expect(event.headers["Job-Command-Arg"]).toBe("{origination_caller_id_number=1001}user/1002@example.com &park");
    expect(event.headers["FreeSWITCH-IPv6"]).toBe("::1");
    expect(event.body).toBe("-ERR USER_BUSY\n");
    expect(event.headers["Content-Length"]).toBeUndefined();
  });

  test("json: values raw, _body as body", () => {
    const payload = BACKGROUND_JOB_JSON.slice(BACKGROUND_JOB_JSON.indexOf("\n\n") + 2);
    const event = parseJsonEvent(payload);
    expect(event.headers["Event-Date-GMT"]).toBe("Wed, 01 May 2024 12:00:00 GMT");
    expect(event.body).toBe("-ERR USER_BUSY\n");
  });
});

describe("CommandReader (FreeSWITCH's read_packet)", () => {
  test("splits blocks on LF LF or CRLF CRLF, drops leading blank lines, reads Content-Length bodies", () => {
    const reader = new CommandReader();
    reader.push(Buffer.from("\n\napi status\n\nauth x\r\n\r\nsendevent CUSTOM\nContent-Length: 5\nA: b\n\nhello"));
    const first = reader.next();
    const second = reader.next();
    const third = reader.next();
    expect(first).toEqual({
      kind: "command",
      command: { line: "api status", headers: [], body: "", raw: "api status\n\n" },
    });
    expect(second.kind === "command" && second.command.line).toBe("auth x");
    expect(third.kind === "command" && third.command).toEqual({
      line: "sendevent CUSTOM",
      headers: [
        ["Content-Length", "5"],
        ["A", "b"],
      ],
      body: "hello",
      raw: "sendevent CUSTOM\nContent-Length: 5\nA: b\n\nhello",
    });
    expect(reader.next().kind).toBe("incomplete");
  });

  test("a Content-Length over 16 MiB is refused", () => {
    const reader = new CommandReader();
    reader.push(Buffer.from(`sendevent CUSTOM\nContent-Length: ${16 * 1024 * 1024 + 1}\n\n`));
    expect(reader.next().kind).toBe("oversize");
  });
});
