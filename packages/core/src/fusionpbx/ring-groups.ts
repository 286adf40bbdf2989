import type { Queryable } from "@switchboard/db";
import { z } from "zod";
import { boundedText, dialplanNumber } from "./numbers.ts";
import type { Row } from "./rows.ts";
import { flagInput } from "./values.ts";

/** Members in the order the ring group Lua app rings them: by delay, then number. */
export async function ringGroupDestinations(q: Queryable, ringGroupUuid: string): Promise<Row[]> {
  return (await q.unsafe(
    `select * from v_ring_group_destinations where ring_group_uuid = $1::uuid
     order by destination_delay nulls first, destination_number collate "C", ring_group_destination_uuid`,
    [ringGroupUuid],
  )) as unknown as Row[];
}

/** One member as the ring group editor posts it (defaults: delay 0, timeout 30, no prompt, enabled). */
export const ringGroupMember = z.object({
  number: dialplanNumber,
  delay: z.number().int().min(0).max(999).default(0),
  timeout: z.number().int().min(5).max(999).default(30),
  /** Press 1 to accept the call. */
  prompt: flagInput.default(false),
  enabled: flagInput.default(true),
  description: boundedText(255).nullable().optional(),
});

export type RingGroupMember = z.output<typeof ringGroupMember>;

/** Members as a JSON array (the legacy face also takes a string holding one, see legacy/legacy-values.ts). */
export const ringGroupMembers = z.array(ringGroupMember).min(1).max(500);

export const RING_GROUP_STRATEGIES = ["enterprise", "sequence", "simultaneous", "random", "rollover"] as const;
