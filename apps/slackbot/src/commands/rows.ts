export type Row = Record<string, unknown>;

/** The rows of a list (a ring group's members): the objects in it, nothing else. */
export function rowsOf(output: unknown): Row[] {
  return Array.isArray(output) ? output.filter(isRow) : [];
}

function isRow(value: unknown): value is Row {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
