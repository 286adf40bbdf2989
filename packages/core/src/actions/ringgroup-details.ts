import { z } from "zod";
import { defineAction } from "../action.ts";
import { notFound } from "../errors.ts";
import { ringGroupDestinations } from "../manage/ring-groups.ts";
import { managedRingGroupRow, ringGroupDestinationRow } from "../fusionpbx/row-schemas.ts";
import { selectRow } from "../manage/rows.ts";
import { scopedDomain } from "../manage/scope.ts";

const input = z.object({
  ring_group_uuid: z.uuid(),
  domain_uuid: z.uuid().optional(),
});

const output = managedRingGroupRow.extend({ destinations: z.array(ringGroupDestinationRow) });

export const ringGroupDetails = defineAction({
  name: "ringgroup-details",
  path: "ringGroups.details",
  summary: "One ring group with its destinations (in ringing order).",
  scope: "read",
  kind: "query",
  input,
  output,
  legacy: { required: ["ring_group_uuid"] },
  async handler(ctx, input) {
    const scope = scopedDomain(ctx, input.domain_uuid);
    const keys: Record<string, string> = { ring_group_uuid: input.ring_group_uuid };
    if (scope) keys.domain_uuid = scope;
    const row = await selectRow(ctx.sql, ctx.schema, "v_ring_groups", keys);
    if (!row) throw notFound("ring group not found");
    return { ...row, destinations: await ringGroupDestinations(ctx.sql, input.ring_group_uuid) } as z.input<typeof output>;
  },
});
