import { SwitchUnavailableError } from "@switchboard/esl";
import { ActionError } from "../errors.ts";

/** The original's answer when FreeSWITCH cannot be reached (docs/original-api.md §5.8 step 2). */
export const SWITCH_DOWN_LEGACY_BODY = {
  error: "internal_server_error",
  message: "failed to connect to FreeSWITCH",
} as const;

export function switchDown(cause?: unknown, legacy?: { status: number; body: unknown }): ActionError {
  return new ActionError("SERVICE_UNAVAILABLE", "failed to connect to FreeSWITCH", {
    legacyStatus: legacy?.status ?? 500,
    legacyBody: legacy?.body ?? SWITCH_DOWN_LEGACY_BODY,
    cause,
  });
}

/** Runs a switch call, turning "unreachable" into the action error every face understands. */
export async function onSwitch<T>(run: () => Promise<T> | T, legacy?: { status: number; body: unknown }): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SwitchUnavailableError) throw switchDown(error, legacy);
    throw error;
  }
}
