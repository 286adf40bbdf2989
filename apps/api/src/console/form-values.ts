/** A form field as an action input: trimmed, and absent when left empty. */
export function optional(value: string | undefined): string | undefined {
  const text = value?.trim();
  return text ? text : undefined;
}

/**
 * A `datetime-local` field (`2027-01-31T18:00`, no zone; the console labels it UTC) as ISO 8601 in UTC.
 * Anything else is passed on as typed, for the action's contract to judge.
 */
export function utcTime(value: string | undefined): string | undefined {
  const text = optional(value);
  if (!text) return undefined;
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(text)) return `${text}:00Z`;
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$/.test(text)) return `${text}Z`;
  return text;
}

/** An ISO time as a `datetime-local` value (UTC), to refill a form. */
export function localValue(iso: string | undefined): string {
  if (!iso) return "";
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? "" : time.toISOString().slice(0, 16);
}
