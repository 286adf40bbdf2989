import { describe, expect, test } from "bun:test";
import type { SwitchEvent } from "@switchboard/esl";
import { cdrStatus, isMissedCall } from "./call-status.ts";
import { eventId } from "./event-id.ts";
import { normaliseSwitchEvent } from "./normalise.ts";
import type { NormaliseContext } from "./normalise-context.ts";
import { cdrRowEvents, voicemailRowEvent } from "./normalise-rows.ts";

const A = "aaaaaaaa-0000-4000-8000-00000000000a";
const B = "bbbbbbbb-0000-4000-8000-00000000000b";
const DOMAIN = "d0d0d0d0-0000-4000-8000-000000000001";
const CONTEXT_DOMAIN = "d0d0d0d0-0000-4000-8000-000000000002";
const DID_DOMAIN = "d0d0d0d0-0000-4000-8000-000000000003";

const ctx: NormaliseContext = {
  switchHost: "pbx1",
  domainUuidByName: (name) =>
    ({ "office.example.com": DOMAIN, "context.example.com": CONTEXT_DOMAIN })[name.toLowerCase()] ?? null,
  domainUuidByNumber: (n) => (n === "15550100" ? DID_DOMAIN : null),
  extensionUuid: () => null,
  agentDomainUuid: () => null,
  knownRegistration: (user) =>
    user === "known" ? { registered_event_id: "evt_known", contact: "sip:known@x", expires_at: null } : null,
};

const at = "1767261600000000"; // 2026-01-01T10:00:00Z in µs

function channel(name: string, headers: Record<string, string>): SwitchEvent {
  return { name, headers: { "Event-Date-Timestamp": at, "Unique-ID": A, "Channel-Call-UUID": A, ...headers } };
}

describe("the domain of a channel event, in the documented order", () => {
  test.each([
    [{ variable_domain_uuid: DOMAIN.toUpperCase(), variable_domain_name: "context.example.com" }, DOMAIN],
    [{ variable_domain_name: "office.example.com", "Caller-Context": "context.example.com" }, DOMAIN],
    [{ variable_dialed_domain: "office.example.com", "Caller-Context": "context.example.com" }, DOMAIN],
    [{ "Caller-Context": "context.example.com", "Caller-Destination-Number": "15550100" }, CONTEXT_DOMAIN],
    [{ "Caller-Context": "public", "Caller-Destination-Number": "15550100" }, DID_DOMAIN],
    [{ "Caller-Context": "public", "Caller-Destination-Number": "999" }, null],
  ])("%o → %s", (headers, expected) => {
    const [event] = normaliseSwitchEvent(channel("CHANNEL_CREATE", headers), ctx).events;
    expect(event?.domain_uuid).toBe(expected);
  });
});

describe("call legs", () => {
  test("a first leg starts the call; another leg of it rings, under the first leg's id", () => {
    const started = normaliseSwitchEvent(channel("CHANNEL_CREATE", {}), ctx).events[0]!;
    expect(started).toMatchObject({ type: "call.started", call_id: A, id: eventId("call.started", A) });
    expect(started.occurred_at).toBe("2026-01-01T10:00:00.000Z");
    const ringing = normaliseSwitchEvent(
      channel("CHANNEL_CREATE", { "Unique-ID": B, variable_originating_leg_uuid: A, variable_dialed_user: "1002" }),
      ctx,
    ).events[0]!;
    expect(ringing).toMatchObject({ type: "call.ringing", call_id: A, id: eventId("call.ringing", A, B) });
    expect(ringing.data).toMatchObject({ leg_id: B, ringing: "1002" });
  });

  test("either leg's answer is the call's one answer (same id); only the first leg's hangup ends the call", () => {
    const first = normaliseSwitchEvent(channel("CHANNEL_ANSWER", { "Unique-ID": B }), ctx).events[0]!;
    const second = normaliseSwitchEvent(channel("CHANNEL_ANSWER", {}), ctx).events[0]!;
    expect(first.id).toBe(second.id);
    expect(normaliseSwitchEvent(channel("CHANNEL_HANGUP_COMPLETE", { "Unique-ID": B }), ctx).events).toEqual([]);
    expect(normaliseSwitchEvent(channel("CHANNEL_BRIDGE", {}), ctx).events).toEqual([]);
    expect(normaliseSwitchEvent(channel("HEARTBEAT", {}), ctx).events).toEqual([]);
    expect(normaliseSwitchEvent(channel("CHANNEL_CREATE", { "Unique-ID": "not-a-uuid" }), ctx).events).toEqual([]);
  });
});

describe("registrations", () => {
  const register = (user: string, extra: Record<string, string> = {}): SwitchEvent => ({
    name: "CUSTOM",
    headers: {
      "Event-Date-Timestamp": at,
      "Event-Subclass": "sofia::register",
      "from-user": user,
      "from-host": "office.example.com",
      realm: "office.example.com",
      "call-id": "c1",
      contact: `sip:${user}@192.0.2.1`,
      expires: "3600",
      ...extra,
    },
  });

  test("a new phone is an event; update-reg and a known registration are refreshes", () => {
    const fresh = normaliseSwitchEvent(register("1001"), ctx);
    expect(fresh.events.map((e) => e.type)).toEqual(["extension.registered"]);
    expect(fresh.events[0]!.data).toMatchObject({ expires_at: "2026-01-01T11:00:00.000Z" });
    expect(fresh.registration?.kind).toBe("registered");
    const refresh = normaliseSwitchEvent(register("1001", { "update-reg": "true" }), ctx);
    expect(refresh.events).toEqual([]);
    expect(refresh.registration?.kind).toBe("refreshed");
    expect(normaliseSwitchEvent(register("known"), ctx).events).toEqual([]);
  });

  test("expire says expired and takes its id from the registration it ends", () => {
    const expired = normaliseSwitchEvent(
      {
        name: "CUSTOM",
        headers: { "Event-Subclass": "sofia::expire", user: "known", host: "office.example.com", "call-id": "c1" },
      },
      ctx,
    );
    expect(expired.events[0]).toMatchObject({
      type: "extension.unregistered",
      id: eventId("extension.unregistered", "evt_known"),
      domain_uuid: DOMAIN,
    });
    expect(expired.events[0]!.data).toMatchObject({ reason: "expired", contact: "sip:known@x" });
  });
});

test("MESSAGE_WAITING asks for the mailbox's new rows; the account's host gives the domain", () => {
  const mwi = normaliseSwitchEvent(
    { name: "MESSAGE_WAITING", headers: { "MWI-Message-Account": "sip:1002@office.example.com" } },
    ctx,
  );
  expect(mwi).toEqual({ events: [], registration: null, voicemailCheck: { domain_uuid: DOMAIN, mailbox: "1002" } });
});

describe("FusionPBX's CDR status rules", () => {
  test.each([
    [{ billsec: "30", hangup_cause: "NORMAL_CLEARING" }, "answered", false],
    [{ billsec: "0", hangup_cause: "NO_ANSWER" }, "no_answer", false],
    [{ billsec: "0", hangup_cause: "ORIGINATOR_CANCEL", call_direction: "local" }, "cancelled", false],
    [{ billsec: "0", hangup_cause: "ORIGINATOR_CANCEL", call_direction: "inbound" }, "missed", true],
    [{ billsec: "0", hangup_cause: "USER_BUSY" }, "busy", false],
    [{ billsec: "0", hangup_cause: "UNALLOCATED_NUMBER" }, "failed", false],
    [{ billsec: "0", hangup_cause: "NORMAL_CLEARING", last_bridge_hangup_cause: "CALL_REJECTED" }, "failed", false],
    [{ billsec: "0", hangup_cause: "LOSE_RACE", missed_call: "true" }, "no_answer", false],
    [
      { billsec: "0", hangup_cause: "ORIGINATOR_CANCEL", call_direction: "inbound", bridge_uuid: B },
      "cancelled",
      false,
    ],
    [
      { billsec: "12", hangup_cause: "NORMAL_CLEARING", voicemail_answer_stamp: "x", voicemail_message_seconds: "9" },
      "voicemail",
      true,
    ],
    [{ billsec: "5", hangup_cause: "NORMAL_CLEARING", destination_number: "*991002" }, "voicemail", true],
    [{ billsec: "0", cc_side: "member", cc_cause: "cancel", hangup_cause: "NORMAL_CLEARING" }, "missed", true],
    [
      { billsec: "0", cc_side: "agent", hangup_cause: "ORIGINATOR_CANCEL", call_direction: "inbound" },
      "no_answer",
      false,
    ],
  ])("%o → %s", (variables, status, missed) => {
    expect(cdrStatus(variables)).toBe(status as never);
    expect(isMissedCall(variables)).toBe(missed);
  });
});

describe("FusionPBX's rows → the events the live path gives", () => {
  test("a CDR row: the row's own status; FusionPBX 5.1 (no status column) by the same rules", () => {
    const row = {
      xml_cdr_uuid: A.toUpperCase(),
      domain_uuid: DOMAIN,
      direction: "inbound",
      caller_id_number: "+15557654321",
      destination_number: "15550100",
      start_epoch: 1767261600,
      answer_epoch: 0,
      end_epoch: 1767261609,
      billsec: 0,
      hangup_cause: "ORIGINATOR_CANCEL",
      missed_call: true,
    };
    const from51 = cdrRowEvents(row, ctx, true);
    expect(from51.map((e) => [e.type, e.id, e.call_id, e.reconciled])).toEqual([
      ["call.ended", eventId("call.ended", A), A, true],
      ["call.missed", eventId("call.missed", A), A, true],
    ]);
    expect(from51[0]!.data).toMatchObject({
      status: "missed",
      duration: 9,
      billsec: 0,
      ended_at: "2026-01-01T10:00:09.000Z",
    });
    const from56 = cdrRowEvents({ ...row, status: "voicemail" }, ctx, true);
    expect(from56[0]!.data).toMatchObject({ status: "voicemail" });
    expect(cdrRowEvents({ ...row, missed_call: false, status: "cancelled" }, ctx, true).map((e) => e.type)).toEqual([
      "call.ended",
    ]);
  });

  test("a voicemail row: the message uuid is the id; the box's extension", () => {
    const event = voicemailRowEvent(
      {
        voicemail_message_uuid: B,
        voicemail_uuid: A,
        domain_uuid: DOMAIN,
        mailbox: "1002",
        created_epoch: 1767261600,
        caller_id_name: "Alice",
        caller_id_number: "1001",
        message_length: "12",
        call_id: null,
      },
      { ...ctx, extensionUuid: (domain, user) => (domain === DOMAIN && user === "1002" ? A : null) },
      false,
    );
    expect(event).toMatchObject({ id: eventId("voicemail.left", B), type: "voicemail.left", domain_uuid: DOMAIN });
    expect(event!.data).toMatchObject({ length_seconds: 12, extension_uuid: A, mailbox: "1002" });
  });
});
