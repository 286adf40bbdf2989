import type { FusionpbxSchema } from "./definition.ts";
import { fusionpbx510 } from "./fusionpbx-5.1.0.ts";
import { fusionpbx56Master } from "./fusionpbx-5.6-master.ts";

export * from "./definition.ts";

/** Every FusionPBX version Switchboard is tested on, by test database kind. */
export const FUSIONPBX_SCHEMAS: Record<FusionpbxSchema["kind"], FusionpbxSchema> = {
  "fusionpbx-5.1.0": fusionpbx510,
  "fusionpbx-5.6-master": fusionpbx56Master,
};
