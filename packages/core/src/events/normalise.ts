import type { SwitchEvent } from "@switchboard/esl";
import type { NewEvent } from "./event-types.ts";
import { header, hostOf, type NormaliseContext, userOf } from "./normalise-context.ts";
import { normaliseChannelEvent } from "./normalise-call.ts";
import { normaliseCallCenter } from "./normalise-queue.ts";
import { normaliseRegistration, type RegistrationChange } from "./normalise-registration.ts";

export interface Normalised {
  events: NewEvent[];
  /** What to remember about a phone's registration. */
  registration: RegistrationChange | null;
  /**
   * MESSAGE_WAITING carries counts only: FusionPBX's voicemail writes the message row, then fires it. The
   * ingest reads this mailbox's new rows (voicemailLeftEvent) to make voicemail.left events.
   */
  voicemailCheck: { domain_uuid: string; mailbox: string } | null;
}

const NOTHING: Normalised = { events: [], registration: null, voicemailCheck: null };

/**
 * A switch event → Switchboard events. Pure: the same event and context give the same result, and ids are
 * derived from the call, leg, registration or message (never from the connection), so an event recovered
 * later from FusionPBX's rows gets the id the live one had.
 */
export function normaliseSwitchEvent(event: SwitchEvent, ctx: NormaliseContext): Normalised {
  switch (event.name) {
    case "CHANNEL_CREATE":
    case "CHANNEL_ANSWER":
    case "CHANNEL_HANGUP_COMPLETE":
      return { ...NOTHING, events: normaliseChannelEvent(event, ctx) };
    case "MESSAGE_WAITING": {
      const account = header(event, "MWI-Message-Account");
      const mailbox = userOf(account);
      const domainName = hostOf(account);
      const domain = domainName ? ctx.domainUuidByName(domainName) : null;
      if (!mailbox || !domain) return NOTHING;
      return { ...NOTHING, voicemailCheck: { domain_uuid: domain, mailbox } };
    }
    case "CUSTOM": {
      const subclass = header(event, "Event-Subclass");
      if (subclass === "callcenter::info") return { ...NOTHING, events: normaliseCallCenter(event, ctx) };
      if (subclass?.startsWith("sofia::")) {
        const { events, change } = normaliseRegistration(event, ctx);
        return { events, registration: change, voicemailCheck: null };
      }
      return NOTHING;
    }
    default:
      return NOTHING;
  }
}
