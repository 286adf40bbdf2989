import { randomUUID } from "node:crypto";
import type { FakeSwitch } from "./fake-switch.ts";
import type { RegistrationRow } from "./fake-tables.ts";

// Scripted PBX activity for the fake switch: the events FreeSWITCH (with FusionPBX's dialplan and
// directory) fires for calls, registrations, voicemail and call-center queues, with their real header
// names (docs/events.md). Events reach only connections that subscribed to them.

export interface FakeDomain {
  uuid: string;
  name: string;
}

export interface FakeCallOptions {
  domain: FakeDomain;
  /** Caller: an extension of the domain, or an outside number for a carrier call. */
  from: string;
  fromName?: string;
  /** The number dialled: an extension, a ring group, a DID. */
  to: string;
  /**
   * `local` (extension to extension, default), `inbound` (a carrier call to a DID: the first leg has no
   * domain variables until the dialplan sets them), `outbound`.
   */
  direction?: "local" | "inbound" | "outbound";
  fromExtensionUuid?: string;
  uuid?: string;
  /** Epoch seconds the call started (default now); answer and end follow from ring/talk seconds. */
  startEpoch?: number;
}

export interface FakeLegOptions {
  user: string;
  extensionUuid?: string;
  uuid?: string;
}

function epochNow(): number {
  return Math.floor(Date.now() / 1000);
}

/** One call on the fake switch, advanced step by step. */
export class FakeCall {
  readonly uuid: string;
  readonly legs: string[] = [];
  private answeredLeg: string | null = null;
  private answerEpoch = 0;
  private readonly startEpoch: number;
  private readonly vars: Record<string, string> = {};
  private bridged = false;
  private voicemailSeconds = 0;

  constructor(
    private readonly fake: FakeSwitch,
    readonly options: FakeCallOptions,
  ) {
    this.uuid = options.uuid ?? randomUUID();
    this.startEpoch = options.startEpoch ?? epochNow();
  }

  private get direction(): string {
    return this.options.direction ?? "local";
  }

  private get carrier(): boolean {
    return this.direction === "inbound";
  }

  /** The first leg's channel headers (FusionPBX's directory sets the domain for registered phones). */
  private aLeg(state: string, callState: string, answerState: string): Record<string, string> {
    const { domain, from, to } = this.options;
    const channel = this.carrier ? `sofia/external/${from}@203.0.113.9` : `sofia/internal/${from}@${domain.name}`;
    const headers: Record<string, string> = {
      "Channel-State": state,
      "Channel-Call-State": callState,
      "Channel-Name": channel,
      "Unique-ID": this.uuid,
      "Call-Direction": "inbound",
      "Presence-Call-Direction": "inbound",
      "Channel-HIT-Dialplan": "true",
      "Channel-Presence-ID": this.carrier ? "" : `${from}@${domain.name}`,
      "Channel-Call-UUID": this.uuid,
      "Answer-State": answerState,
      "Caller-Direction": "inbound",
      "Caller-Logical-Direction": "inbound",
      "Caller-Username": from,
      "Caller-Dialplan": "XML",
      "Caller-Caller-ID-Name": this.options.fromName ?? from,
      "Caller-Caller-ID-Number": from,
      "Caller-Orig-Caller-ID-Name": this.options.fromName ?? from,
      "Caller-Orig-Caller-ID-Number": from,
      "Caller-Network-Addr": this.carrier ? "203.0.113.9" : "192.0.2.10",
      "Caller-ANI": from,
      "Caller-Destination-Number": to,
      "Caller-Unique-ID": this.uuid,
      "Caller-Source": "mod_sofia",
      "Caller-Context": this.carrier ? "public" : domain.name,
      "Caller-Channel-Name": channel,
      "Caller-Profile-Index": "1",
      "Caller-Channel-Created-Time": String(this.startEpoch * 1_000_000),
      "Caller-Channel-Answered-Time": String(this.answerEpoch * 1_000_000),
      variable_direction: "inbound",
      variable_uuid: this.uuid,
      variable_call_uuid: this.uuid,
      variable_sip_from_user: from,
      variable_sip_to_user: to,
      variable_sip_call_id: `${this.uuid.slice(0, 8)}@192.0.2.10`,
    };
    if (!this.carrier) {
      headers["variable_domain_uuid"] = domain.uuid;
      headers["variable_domain_name"] = domain.name;
      headers["variable_user_name"] = from;
      headers["variable_user_context"] = domain.name;
      if (this.options.fromExtensionUuid) headers["variable_extension_uuid"] = this.options.fromExtensionUuid;
    }
    for (const [key, value] of Object.entries(this.vars)) headers[`variable_${key}`] = value;
    return headers;
  }

  private bLeg(leg: FakeLegOptions, state: string, callState: string, answerState: string): Record<string, string> {
    const { domain } = this.options;
    const uuid = leg.uuid!;
    const channel = `sofia/internal/${leg.user}@192.0.2.20:5060`;
    return {
      "Channel-State": state,
      "Channel-Call-State": callState,
      "Channel-Name": channel,
      "Unique-ID": uuid,
      "Call-Direction": "outbound",
      "Presence-Call-Direction": "outbound",
      "Channel-Presence-ID": `${leg.user}@${domain.name}`,
      "Channel-Call-UUID": this.uuid,
      "Answer-State": answerState,
      "Caller-Direction": "outbound",
      "Caller-Caller-ID-Name": this.options.fromName ?? this.options.from,
      "Caller-Caller-ID-Number": this.options.from,
      "Caller-Callee-ID-Number": leg.user,
      "Caller-Destination-Number": leg.user,
      "Caller-Unique-ID": uuid,
      "Caller-Context": domain.name,
      "Caller-Channel-Name": channel,
      "Other-Type": "originator",
      "Other-Leg-Unique-ID": this.uuid,
      "Other-Leg-Caller-ID-Number": this.options.from,
      "Other-Leg-Destination-Number": this.options.to,
      variable_uuid: uuid,
      variable_originating_leg_uuid: this.uuid,
      variable_dialed_user: leg.user,
      variable_dialed_domain: domain.name,
      variable_call_direction: this.direction,
    };
  }

  private fire(name: string, headers: Record<string, string>): void {
    this.fake.fireEvent(name, headers);
  }

  /** CHANNEL_CREATE of the first leg. Then the dialplan sets the domain (carrier calls) and direction. */
  start(): this {
    this.fire("CHANNEL_CREATE", this.aLeg("CS_INIT", "DOWN", "ringing"));
    this.addRow(this.uuid, this.aLeg("CS_EXECUTE", "RINGING", "ringing"), "RINGING");
    const { domain } = this.options;
    this.vars["domain_uuid"] = domain.uuid;
    this.vars["domain_name"] = domain.name;
    this.vars["call_direction"] = this.direction;
    return this;
  }

  /** A leg to an extension is created and rings (CHANNEL_CREATE of the B-leg). Returns its uuid. */
  ring(leg: FakeLegOptions): string {
    const uuid = leg.uuid ?? randomUUID();
    const full = { ...leg, uuid };
    this.legs.push(uuid);
    this.ringing.set(uuid, full);
    this.fire("CHANNEL_CREATE", this.bLeg(full, "CS_INIT", "DOWN", "ringing"));
    this.addRow(uuid, this.bLeg(full, "CS_CONSUME_MEDIA", "RINGING", "ringing"), "RINGING");
    return uuid;
  }

  /** The leg in the switch's channel list (`show channels`), as FreeSWITCH lists it. */
  private addRow(uuid: string, headers: Record<string, string>, callstate: string): void {
    this.fake.addChannel({
      uuid,
      direction: headers["Call-Direction"] ?? "inbound",
      created_epoch: String(this.startEpoch),
      name: headers["Channel-Name"] ?? "",
      state: headers["Channel-State"] ?? "CS_EXECUTE",
      cid_name: headers["Caller-Caller-ID-Name"] ?? "",
      cid_num: headers["Caller-Caller-ID-Number"] ?? "",
      dest: headers["Caller-Destination-Number"] ?? "",
      context: headers["Caller-Context"] ?? "",
      presence_id: headers["Channel-Presence-ID"] ?? "",
      callstate,
      call_uuid: this.uuid,
    });
  }

  private setCallState(uuid: string, callstate: string): void {
    const row = this.fake.channels.get(uuid);
    if (row) row.callstate = callstate;
  }

  private readonly ringing = new Map<string, FakeLegOptions>();

  /** The leg answers: its CHANNEL_ANSWER, the first leg's, then CHANNEL_BRIDGE. */
  answer(legUuid = this.legs[0], ringSeconds = 5): this {
    const leg = legUuid ? this.ringing.get(legUuid) : undefined;
    if (!leg) throw new Error("answer() needs a ringing leg");
    this.answerEpoch = this.startEpoch + ringSeconds;
    this.answeredLeg = leg.uuid!;
    this.fire("CHANNEL_ANSWER", this.bLeg(leg, "CS_CONSUME_MEDIA", "ACTIVE", "answered"));
    this.fire("CHANNEL_ANSWER", this.aLeg("CS_EXECUTE", "ACTIVE", "answered"));
    this.setCallState(leg.uuid!, "ACTIVE");
    this.setCallState(this.uuid, "ACTIVE");
    this.bridged = true;
    this.vars["bridge_uuid"] = leg.uuid!;
    this.fire("CHANNEL_BRIDGE", {
      ...this.aLeg("CS_EXECUTE", "ACTIVE", "answered"),
      "Bridge-A-Unique-ID": this.uuid,
      "Bridge-B-Unique-ID": leg.uuid!,
    });
    return this;
  }

  /** Nobody answered: the ringing legs end and FusionPBX's voicemail answers the first leg and records. */
  toVoicemail(ringSeconds = 20, messageSeconds = 12): this {
    for (const leg of this.ringing.values()) this.endLeg(leg, "NO_ANSWER");
    this.ringing.clear();
    this.answerEpoch = this.startEpoch + ringSeconds;
    this.vars["voicemail_answer_stamp"] = new Date(this.answerEpoch * 1000).toISOString();
    this.fire("CHANNEL_ANSWER", this.aLeg("CS_EXECUTE", "ACTIVE", "answered"));
    this.setCallState(this.uuid, "ACTIVE");
    this.voicemailSeconds = messageSeconds;
    return this;
  }

  private endLeg(leg: FakeLegOptions, cause: string): void {
    this.fake.channels.delete(leg.uuid!);
    this.fire("CHANNEL_HANGUP_COMPLETE", {
      ...this.bLeg(leg, "CS_REPORTING", "HANGUP", "hangup"),
      "Hangup-Cause": cause,
      variable_hangup_cause: cause,
    });
  }

  /** Everything hangs up: the other legs' CHANNEL_HANGUP_COMPLETE, then the first leg's with the CDR values. */
  hangup(cause = "NORMAL_CLEARING", talkSeconds = 30): this {
    const endEpoch = this.answerEpoch > 0 ? this.answerEpoch + talkSeconds : this.startEpoch + talkSeconds;
    for (const leg of this.ringing.values()) {
      this.endLeg(leg, leg.uuid === this.answeredLeg ? cause : this.answeredLeg ? "LOSE_RACE" : cause);
    }
    this.ringing.clear();
    const billsec = this.answerEpoch > 0 ? endEpoch - this.answerEpoch : 0;
    this.fake.channels.delete(this.uuid);
    this.fire("CHANNEL_HANGUP_COMPLETE", {
      ...this.aLeg("CS_REPORTING", "HANGUP", "hangup"),
      ...this.cdrVariables(cause, endEpoch, billsec),
    });
    this.ended = { cause, endEpoch, billsec };
    return this;
  }

  private ended: { cause: string; endEpoch: number; billsec: number } | null = null;

  private cdrVariables(cause: string, endEpoch: number, billsec: number): Record<string, string> {
    const vars: Record<string, string> = {
      "Hangup-Cause": cause,
      variable_hangup_cause: cause,
      variable_start_epoch: String(this.startEpoch),
      variable_answer_epoch: String(this.answerEpoch),
      variable_end_epoch: String(endEpoch),
      variable_duration: String(endEpoch - this.startEpoch),
      variable_billsec: String(billsec),
      variable_answersec: String(this.answerEpoch > 0 ? this.answerEpoch - this.startEpoch : 0),
    };
    if (this.bridged) vars["variable_last_bridge_hangup_cause"] = cause;
    if (this.voicemailSeconds > 0) vars["variable_voicemail_message_seconds"] = String(this.voicemailSeconds);
    return vars;
  }

  /**
   * The v_xml_cdr columns FusionPBX's importer writes for this call after hangup() (a test inserts them
   * where the importer would); `status` and `missed_call` are given by the test, as FusionPBX computes them.
   */
  cdr(status: string, missed: boolean): Record<string, string | number | boolean | null> {
    if (!this.ended) throw new Error("cdr() after hangup()");
    const { domain } = this.options;
    return {
      xml_cdr_uuid: this.uuid,
      domain_uuid: domain.uuid,
      domain_name: domain.name,
      extension_uuid: this.options.fromExtensionUuid ?? null,
      direction: this.direction,
      caller_id_name: this.options.fromName ?? this.options.from,
      caller_id_number: this.options.from,
      destination_number: this.options.to,
      start_epoch: this.startEpoch,
      answer_epoch: this.answerEpoch,
      end_epoch: this.ended.endEpoch,
      start_stamp: new Date(this.startEpoch * 1000).toISOString(),
      end_stamp: new Date(this.ended.endEpoch * 1000).toISOString(),
      duration: this.ended.billsec,
      billsec: this.ended.billsec,
      hangup_cause: this.ended.cause,
      missed_call: missed,
      voicemail_message: this.voicemailSeconds > 0,
      status,
      leg: "a",
    };
  }
}

export interface FakePhone {
  user: string;
  realm: string;
  callId?: string;
  contact?: string;
  userAgent?: string;
  expires?: number;
}

/** PBX activity on a fake switch: calls, phones, voicemail notifications, call-center queues. */
export class FakePbx {
  private readonly phones = new Map<string, Required<FakePhone> & { expiresEpoch: number }>();

  constructor(readonly fake: FakeSwitch) {}

  call(options: FakeCallOptions): FakeCall {
    return new FakeCall(this.fake, options);
  }

  private key(phone: FakePhone): string {
    return `${phone.user}@${phone.realm}/${phone.callId ?? ""}`;
  }

  private full(phone: FakePhone): Required<FakePhone> & { expiresEpoch: number } {
    const expires = phone.expires ?? 3600;
    return {
      user: phone.user,
      realm: phone.realm,
      callId: phone.callId ?? `${phone.user}-reg@192.0.2.10`,
      contact: phone.contact ?? `"${phone.user}" <sip:${phone.user}@192.0.2.10:5060;transport=udp>`,
      userAgent: phone.userAgent ?? "Yealink SIP-T46U 108.86.0.45",
      expires,
      expiresEpoch: epochNow() + expires,
    };
  }

  private registerHeaders(p: Required<FakePhone>, refresh: boolean): Record<string, string> {
    return {
      "Event-Subclass": "sofia::register",
      "profile-name": "internal",
      "from-user": p.user,
      "from-host": p.realm,
      "presence-hosts": p.realm,
      contact: p.contact,
      "call-id": p.callId,
      rpid: "unknown",
      status: `Registered(UDP)`,
      expires: String(p.expires),
      "to-user": p.user,
      "to-host": p.realm,
      "network-ip": "192.0.2.10",
      "network-port": "5060",
      username: p.user,
      realm: p.realm,
      "user-agent": p.userAgent,
      ...(refresh ? { "update-reg": "true" } : {}),
    };
  }

  private syncRegistrations(): void {
    this.fake.setRegistrations(
      [...this.phones.values()].map((p): Partial<RegistrationRow> & { reg_user: string; realm: string } => ({
        reg_user: p.user,
        realm: p.realm,
        token: p.callId,
        url: `sofia/internal/sip:${p.user}@192.0.2.10:5060`,
        expires: String(p.expiresEpoch),
        network_ip: "192.0.2.10",
        network_port: "5060",
        network_proto: "udp",
      })),
    );
  }

  /** A phone registers (first REGISTER: no update-reg). */
  register(phone: FakePhone): void {
    const p = this.full(phone);
    this.phones.set(this.key(p), p);
    this.syncRegistrations();
    this.fake.fireEvent("CUSTOM", this.registerHeaders(p, false));
  }

  /** The phone refreshes its registration (`update-reg: true`). */
  refresh(phone: FakePhone): void {
    const p = this.full(phone);
    this.phones.set(this.key(p), p);
    this.syncRegistrations();
    this.fake.fireEvent("CUSTOM", this.registerHeaders(p, true));
  }

  /** The phone unregisters (REGISTER with Expires: 0). */
  unregister(phone: FakePhone): void {
    const p = this.full(phone);
    this.phones.delete(this.key(p));
    this.syncRegistrations();
    this.fake.fireEvent("CUSTOM", {
      "Event-Subclass": "sofia::unregister",
      "profile-name": "internal",
      "from-user": p.user,
      "from-host": p.realm,
      contact: p.contact,
      "call-id": p.callId,
      rpid: "unknown",
      status: "Unregistered",
      expires: "0",
      "user-agent": p.userAgent,
    });
  }

  /** The registration timed out: sofia::expire, then a PRESENCE_IN saying Unregistered. */
  expire(phone: FakePhone): void {
    const p = this.full(phone);
    this.phones.delete(this.key(p));
    this.syncRegistrations();
    this.fake.fireEvent("CUSTOM", {
      "Event-Subclass": "sofia::expire",
      "profile-name": "internal",
      "call-id": p.callId,
      user: p.user,
      host: p.realm,
      contact: p.contact,
      expires: String(p.expiresEpoch),
      "user-agent": p.userAgent,
    });
    this.fake.fireEvent("PRESENCE_IN", {
      proto: "sip",
      login: "sip:mod_sofia@192.0.2.1:5060",
      from: `${p.user}@${p.realm}`,
      status: "Unregistered",
      rpid: "unknown",
      event_type: "presence",
      "presence-call-direction": "inbound",
      event_count: "1",
    });
  }

  /** FusionPBX's voicemail wrote a message row, then fires MESSAGE_WAITING (counts only). */
  messageWaiting(mailbox: string, domainName: string, newMessages: number, savedMessages = 0): void {
    this.fake.fireEvent("MESSAGE_WAITING", {
      "MWI-Messages-Waiting": newMessages > 0 ? "yes" : "no",
      "MWI-Message-Account": `sip:${mailbox}@${domainName}`,
      "MWI-Voice-Message": `${newMessages}/${savedMessages} (0/0)`,
      "Update-Reason": "voicemail",
    });
  }

  /** A caller enters a call-center queue (`<extension>@<domain>`). Returns the member's channel uuid. */
  queueJoin(queue: string, caller: { number: string; name?: string; uuid?: string }): string {
    const member = caller.uuid ?? randomUUID();
    this.fake.fireEvent("CUSTOM", {
      ...this.ccHeaders(queue, member, caller),
      "CC-Action": "member-queue-start",
      "CC-Member-Joined-Time": String(epochNow()),
    });
    return member;
  }

  queueAnswer(
    queue: string,
    member: string,
    agent: string,
    caller: { number: string; name?: string },
    waited = 10,
  ): void {
    const now = epochNow();
    this.fake.fireEvent("CUSTOM", {
      ...this.ccHeaders(queue, member, caller),
      "CC-Action": "bridge-agent-start",
      "CC-Agent": agent,
      "CC-Agent-UUID": randomUUID(),
      "CC-Agent-Called-Time": String(now - 2),
      "CC-Agent-Answered-Time": String(now),
      "CC-Member-Joined-Time": String(now - waited),
    });
  }

  /** The caller hangs up before an agent answers: member-queue-end with CC-Cause Cancel. */
  queueAbandon(queue: string, member: string, caller: { number: string; name?: string }, waited = 30): void {
    const now = epochNow();
    this.fake.fireEvent("CUSTOM", {
      ...this.ccHeaders(queue, member, caller),
      "CC-Action": "member-queue-end",
      "CC-Cause": "Cancel",
      "CC-Cancel-Reason": "BREAK_OUT",
      "CC-Hangup-Cause": "ORIGINATOR_CANCEL",
      "CC-Member-Joined-Time": String(now - waited),
      "CC-Member-Leaving-Time": String(now),
    });
  }

  agentStatus(agent: string, status: string): void {
    this.fake.fireEvent("CUSTOM", {
      "Event-Subclass": "callcenter::info",
      "CC-Action": "agent-status-change",
      "CC-Agent": agent,
      "CC-Agent-Status": status,
    });
  }

  private ccHeaders(queue: string, member: string, caller: { number: string; name?: string }): Record<string, string> {
    return {
      "Event-Subclass": "callcenter::info",
      "CC-Queue": queue,
      "CC-Member-UUID": randomUUID(),
      "CC-Member-Session-UUID": member,
      "CC-Member-CID-Name": caller.name ?? caller.number,
      "CC-Member-CID-Number": caller.number,
      "Unique-ID": member,
      "Channel-Call-UUID": member,
    };
  }
}

export function fakePbx(fake: FakeSwitch): FakePbx {
  return new FakePbx(fake);
}
