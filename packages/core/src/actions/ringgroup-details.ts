import { z } from "zod";
import { defineAction } from "../action.ts";
import { uuidInput } from "../fusionpbx/uuid.ts";
import { ringGroupDestinations } from "../fusionpbx/ring-groups.ts";
import { managedRingGroupRow, ringGroupDestinationRow } from "../fusionpbx/row-schemas.ts";
import { requireRow } from "../fusionpbx/rows.ts";

const input = z.object({
  ring_group_uuid: uuidInput("ring_group_uuid"),
  domain_uuid: uuidInput("domain_uuid").optional(),
});

const output = managedRingGroupRow.extend({ destinations: z.array(ringGroupDestinationRow) });

export const ringGroupDetails = defineAction({
  name: "ringgroup-details",
  path: "ringGroups.details",
  summary: "One ring group with its destinations (in ringing order).",
  scope: "read",
  domain: {
    by: "row",
    table: "v_ring_groups",
    key: "ring_group_uuid",
    uuid: "domain_uuid",
    notFound: "ring group not found",
  },
  kind: "query",
  input,
  output,
  legacy: { required: ["ring_group_uuid"] },
  async handler(ctx, input, domain) {
    const row = await requireRow(
      ctx.sql,
      ctx.schema,
      "v_ring_groups",
      { ring_group_uuid: input.ring_group_uuid },
      domain.domain_uuid,
      "ring group not found",
    );
    return { ...row, destinations: await ringGroupDestinations(ctx.sql, input.ring_group_uuid) } as z.input<
      typeof output
    >;
  },
});
