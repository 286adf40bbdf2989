import { ActionError, outageError } from "@switchboard/core";
import { z } from "zod";

/** The words a form's user sees for an input field, where the action's field name would puzzle them. */
const FIELD_LABELS: Record<string, string> = {
  name: "Name",
  domain_uuid: "Domain",
  scopes: "Scopes",
  expires_at: "Expires",
  key_uuid: "Key",
  action_name: "Action",
  outcome: "Outcome",
  start: "From",
  end: "Until",
  cursor: "Page",
  ring_first: "Ring first",
  connect_to: "Then connect to",
  caller_id_number: "Caller id number",
  caller_id_name: "Caller id name",
  domain_name: "Domain name",
  domain_description: "Description",
  domain_enabled: "Enabled",
};

const label = (field: string) => FIELD_LABELS[field] ?? field.replaceAll("_", " ");

/**
 * What a failed action tells the person at the console: zod's issue messages (already in the user's words)
 * under the form's labels, the action's own message otherwise; an unexpected failure says nothing internal.
 */
export function errorText(error: unknown): string {
  const known = error instanceof ActionError ? error : outageError(error);
  if (!known) return "Something went wrong on the server; the request id in the log has the details.";
  const zodError = known.cause instanceof z.ZodError ? known.cause : null;
  if (zodError) {
    return zodError.issues
      .map((issue) => {
        const field = issue.path[0];
        return field === undefined ? issue.message : `${label(String(field))}: ${issue.message}`;
      })
      .join("; ");
  }
  if (known.field && known.message.startsWith("invalid parameter")) return `${label(known.field)} is not valid`;
  return known.message;
}

/** True when the failure is ours to report as a page error (bad input, not found, refused), not a crash. */
export const isExpected = (error: unknown) => error instanceof ActionError || outageError(error) !== undefined;

const STATUS: Record<string, 400 | 403 | 404 | 409 | 429 | 503> = {
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
};

/** The HTTP status of a page that shows a failed action (the same as the tRPC face's). */
export function errorStatus(error: unknown): 400 | 403 | 404 | 409 | 429 | 500 | 503 {
  const known = error instanceof ActionError ? error : outageError(error);
  return (known && STATUS[known.code]) || 500;
}
