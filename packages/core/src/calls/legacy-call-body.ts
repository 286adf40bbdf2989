import { z } from "zod";

/** What the original's originate actions answered: whether the call was placed and its first leg's uuid. */
export const legacyCallBody = z.object({
  success: z.boolean(),
  /** null when the call failed (the original returned none). */
  call_uuid: z.string().nullable(),
});
