import type { SwitchEvent } from "@switchboard/esl";
import { eventId } from "./event-id.ts";
import type { NewEvent } from "./event-types.ts";
import { asUuid, eventTime, header, hostOf, type NormaliseContext } from "./normalise-context.ts";

function seconds(from: string | undefined, to: string | undefined): number | null {
  const a = Number(from);
  const b = Number(to);
  return Number.isFinite(a) && Number.isFinite(b) && a > 0 && b >= a ? Math.floor(b - a) : null;
}

/** CUSTOM callcenter::info → queue.joined / queue.answered / queue.abandoned / agent.status. */
export function normaliseCallCenter(event: SwitchEvent, ctx: NormaliseContext): NewEvent[] {
  const action = header(event, "CC-Action");
  const occurredAt = eventTime(event);
  if (action === "agent-status-change" || action === "agent-state-change") {
    const agent = header(event, "CC-Agent");
    if (!agent) return [];
    const status = header(event, "CC-Agent-Status") ?? null;
    const state = header(event, "CC-Agent-State") ?? null;
    const micros = header(event, "Event-Date-Timestamp") ?? occurredAt;
    return [
      {
        id: eventId("agent.status", agent, status ?? "", state ?? "", micros),
        type: "agent.status",
        domain_uuid: ctx.agentDomainUuid(agent) ?? (hostOf(agent) ? ctx.domainUuidByName(hostOf(agent)!) : null),
        call_id: null,
        extension_uuid: null,
        occurred_at: occurredAt,
        reconciled: false,
        switch_host: ctx.switchHost,
        data: { agent, status, state },
      },
    ];
  }
  const queue = header(event, "CC-Queue");
  const member = asUuid(header(event, "CC-Member-Session-UUID"));
  if (!queue || !member) return [];
  const domainName = hostOf(queue);
  const domain = domainName ? ctx.domainUuidByName(domainName) : null;
  const callId = asUuid(header(event, "Channel-Call-UUID")) ?? member;
  const base = {
    domain_uuid: domain,
    call_id: callId,
    extension_uuid: null,
    occurred_at: occurredAt,
    reconciled: false,
    switch_host: ctx.switchHost,
  };
  const facts = {
    queue,
    queue_extension: queue.includes("@") ? queue.slice(0, queue.lastIndexOf("@")) : null,
    member_uuid: member,
    caller: {
      number: header(event, "CC-Member-CID-Number") ?? null,
      name: header(event, "CC-Member-CID-Name") ?? null,
    },
  };
  const joined = header(event, "CC-Member-Joined-Time");
  switch (action) {
    case "member-queue-start":
      return [{ ...base, id: eventId("queue.joined", member, queue), type: "queue.joined", data: facts }];
    case "bridge-agent-start":
      return [
        {
          ...base,
          id: eventId("queue.answered", member, queue),
          type: "queue.answered",
          data: {
            ...facts,
            agent: header(event, "CC-Agent") ?? null,
            wait_seconds: seconds(joined, header(event, "CC-Agent-Answered-Time")),
          },
        },
      ];
    case "member-queue-end":
      // "Terminated" follows an answered member; "Cancel" is a caller who left or was dropped unanswered.
      if (header(event, "CC-Cause") !== "Cancel") return [];
      return [
        {
          ...base,
          id: eventId("queue.abandoned", member, queue),
          type: "queue.abandoned",
          data: {
            ...facts,
            reason: header(event, "CC-Cancel-Reason") ?? null,
            cause: header(event, "CC-Hangup-Cause") ?? null,
            wait_seconds: seconds(joined, header(event, "CC-Member-Leaving-Time")),
          },
        },
      ];
    default:
      return [];
  }
}
