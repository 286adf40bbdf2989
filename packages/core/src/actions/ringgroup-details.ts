import { z } from "zod";
import { defineAction } from "../action.ts";
import { scopedDomain } from "../fusionpbx/domains.ts";
import { ringGroupDestinations } from "../fusionpbx/ring-groups.ts";
import { managedRingGroupRow, ringGroupDestinationRow } from "../fusionpbx/row-schemas.ts";
import { requireRow } from "../fusionpbx/rows.ts";

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
    const scope = scopedDomain(ctx.caller, input.domain_uuid);
    const row = await requireRow(ctx.sql, ctx.schema, "v_ring_groups", { ring_group_uuid: input.ring_group_uuid }, scope, "ring group not found");
    return { ...row, destinations: await ringGroupDestinations(ctx.sql, input.ring_group_uuid) } as z.input<typeof output>;
  },
});
