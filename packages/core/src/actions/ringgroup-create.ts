import { z } from "zod";
import { defineAction } from "../action.ts";
import { refuseNumberClash } from "../fusionpbx/number-clash.ts";
import { ActionError } from "../errors.ts";
import { APP_UUID } from "../fusionpbx/apps.ts";
import { ringGroupXml } from "../fusionpbx/dialplan-xml.ts";
import { flushRingGroup } from "../fusionpbx/flush.ts";
import { issueAt, legacyBody } from "../legacy/legacy-input.ts";
import { LOCK, lockForUniqueness } from "../fusionpbx/locks.ts";
import { DIAL_STRING, dialString, plainText } from "../fusionpbx/numbers.ts";
import { ringGroupRow } from "../fusionpbx/row-schemas.ts";
import { type SaveArray, saveAsOriginal } from "../fusionpbx/save.ts";
import { newUuid, uuidInput } from "../fusionpbx/uuid.ts";
import { saveFailed } from "../fusionpbx/write-errors.ts";
import { phpString } from "../legacy/php.ts";

/** The original answered a missing domain with HTTP 500. */
const DOMAIN_NOT_FOUND_REPLY = { status: 500, body: { error: "domain not found" } };
export const NO_DESTINATIONS = "no destinations specified. Value must be a JSON array";
export const RING_GROUP_STRATEGIES = ["simultaneous", "sequence", "enterprise", "rollover", "random"] as const;

/**
 * `destinations`: a JSON array of `{ "number": … }` (the legacy face also takes the original's only form, a
 * string holding one: legacy/legacy-values.ts parses it). Empty, unparsable or non-array input gets the
 * original's message; each number must be a dial string.
 */
const destinationsInput = z
  .array(
    z.object({ number: z.union([z.string(), z.number()]).describe("a dial string: digits, +, * and #") }).loose(),
    {
      error: NO_DESTINATIONS,
    },
  )
  .transform((list, ctx) => {
    if (list.length === 0) {
      ctx.addIssue({ code: "custom", message: NO_DESTINATIONS });
      return z.NEVER;
    }
    const numbers: string[] = [];
    for (const [index, element] of list.entries()) {
      const number = typeof element.number === "number" ? phpString(element.number) : element.number;
      if (!DIAL_STRING.test(number)) {
        ctx.addIssue({
          code: "custom",
          path: [index, "number"],
          message: `destinations[${index}].number may contain only digits, +, * and #`,
        });
        continue;
      }
      numbers.push(number);
    }
    return numbers.map((number) => ({ number }));
  });

/** The arrays the original's ringgroup-create saves (docs/original-api.md §5.9), keys in its order. */
export function ringGroupCreateArray(v: {
  domainUuid: string;
  domainName: string;
  ringGroupUuid: string;
  dialplanUuid: string;
  name: string;
  extension: string;
  strategy: string;
  destinations: readonly { number: string; uuid: string }[];
}): SaveArray {
  return {
    ring_groups: [
      {
        ring_group_uuid: v.ringGroupUuid,
        domain_uuid: v.domainUuid,
        ring_group_name: v.name,
        ring_group_extension: v.extension,
        ring_group_greeting: "",
        ring_group_strategy: v.strategy,
        ring_group_call_timeout: "30",
        ring_group_caller_id_name: "",
        ring_group_caller_id_number: "",
        ring_group_distinctive_ring: "",
        // A FreeSWITCH variable reference, written literally.
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the value is the text `${us-ring}`
        ring_group_ringback: "${us-ring}",
        ring_group_call_forward_enabled: "",
        ring_group_follow_me_enabled: "",
        ring_group_missed_call_app: null,
        ring_group_missed_call_data: null,
        ring_group_forward_enabled: "false",
        ring_group_forward_destination: "",
        ring_group_forward_toll_allow: "",
        ring_group_context: v.domainName,
        ring_group_enabled: "true",
        ring_group_description: "",
        dialplan_uuid: v.dialplanUuid,
        ring_group_timeout_app: "",
        ring_group_timeout_data: "",
        ring_group_destinations: v.destinations.map((d) => ({
          ring_group_uuid: v.ringGroupUuid,
          ring_group_destination_uuid: d.uuid,
          destination_number: d.number,
          destination_delay: "0",
          destination_timeout: "30",
          destination_prompt: "",
          destination_enabled: "true",
          domain_uuid: v.domainUuid,
        })),
      },
    ],
    dialplans: [
      {
        domain_uuid: v.domainUuid,
        dialplan_uuid: v.dialplanUuid,
        dialplan_name: v.name,
        dialplan_number: v.extension,
        dialplan_context: v.domainName,
        dialplan_continue: "false",
        dialplan_xml: ringGroupXml({
          name: v.name,
          extension: v.extension,
          dialplanUuid: v.dialplanUuid,
          ringGroupUuid: v.ringGroupUuid,
        }),
        dialplan_order: "101",
        dialplan_enabled: "true",
        dialplan_description: "",
        app_uuid: APP_UUID.ringGroups,
      },
    ],
  };
}

/**
 * docs/original-api.md §5.9: a ring group with its destinations and its dialplan, in one transaction with a race-free duplicate
 * check; then the domain's dialplan cache is cleared and reloadxml sent on every switch.
 */
export const ringGroupCreate = defineAction({
  name: "ringgroup-create",
  path: "ringGroups.create",
  summary: "Create a ring group (members, strategy) and its dialplan in a domain.",
  scope: "write",
  domain: { by: "input", uuid: "domain_uuid", whenAbsent: "refuse" },
  kind: "mutation",
  input: z.object({
    domain_uuid: uuidInput("domain_uuid"),
    name: plainText("name").min(1, { error: "name must not be empty" }),
    extension: dialString("extension"),
    destinations: destinationsInput,
    strategy: z.enum(RING_GROUP_STRATEGIES, { error: `strategy must be one of ${RING_GROUP_STRATEGIES.join(", ")}` }),
  }),
  output: z.object({ row: ringGroupRow, applied: z.boolean() }),
  legacy: {
    required: ["domain_uuid", "name", "extension", "destinations", "strategy"],
    toInput: (body) => legacyBody(body, { strings: ["domain_uuid", "name", "extension", "strategy"] }),
    onInvalid: (issues) => {
      if (issueAt(issues, "domain_uuid")) return DOMAIN_NOT_FOUND_REPLY;
      if (issues.some((i) => i.path.length === 1 && i.path[0] === "destinations")) {
        return { status: 500, body: { error: NO_DESTINATIONS } };
      }
      return undefined;
    },
    toBody: (output) => (output as { row: unknown }).row,
    // A failed save answered `false` with HTTP 200 (fusionpbx/write-errors.ts).
    body: z.union([ringGroupRow, z.literal(false)]),
    domainNotFound: DOMAIN_NOT_FOUND_REPLY,
  },
  async handler(ctx, input, domain) {
    const ringGroupUuid = newUuid();
    let row: z.input<typeof ringGroupRow>;
    try {
      row = await ctx.sql.begin(async (tx) => {
        await lockForUniqueness(tx, LOCK.ringGroupExtension, `${domain.domain_uuid}:${input.extension}`);
        const existing = await tx`
          select ring_group_uuid from v_ring_groups
          where ring_group_extension = ${input.extension} and domain_uuid = ${domain.domain_uuid}`;
        if (existing.length > 0) throw new ActionError("CONFLICT", "ring group already exists", { legacyStatus: 500 });
        await refuseNumberClash(tx, domain.domain_uuid, input.extension, { kind: "ring group", uuid: null });
        const array = ringGroupCreateArray({
          domainUuid: input.domain_uuid,
          domainName: domain.domain_name,
          ringGroupUuid,
          dialplanUuid: newUuid(),
          name: input.name,
          extension: input.extension,
          strategy: input.strategy,
          destinations: input.destinations.map((d) => ({ number: d.number, uuid: newUuid() })),
        });
        await saveAsOriginal(tx, ctx, array);
        const rows = await tx`select * from v_ring_groups where ring_group_uuid = ${ringGroupUuid}`;
        return rows[0] as z.input<typeof ringGroupRow>;
      });
    } catch (error) {
      throw saveFailed(error, "ring group");
    }
    const applied = await flushRingGroup(ctx, { context: domain.domain_name });
    return { row, applied };
  },
});
