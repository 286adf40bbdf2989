import { ActionError } from "../errors.ts";
import { outageError } from "../infrastructure.ts";

/**
 * A failed INSERT inside the original's save() rolled back, the re-select found nothing, and rest.php
 * answered 200 with the body `false` (docs/original-api.md §4.3). We roll back too; typed faces get a 500,
 * the legacy route the original's `false`. Outages and our own errors pass through unchanged.
 */
export function saveFailed(error: unknown, what: string): unknown {
  if (error instanceof ActionError || outageError(error)) return error;
  return new ActionError("INTERNAL_SERVER_ERROR", `could not save the ${what}; nothing was written`, {
    legacyStatus: 200,
    legacyBody: false,
    cause: error,
  });
}
