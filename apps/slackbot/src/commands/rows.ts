import type { CommandRequest } from "./command-kit.ts";

export type Row = Record<string, unknown>;

/** The rows of a list action's output, whether it returns a page (`{ items }`) or a bare array (legacy). */
export function rowsOf(output: unknown): Row[] {
  if (Array.isArray(output)) return output.filter(isRow);
  if (isRow(output) && Array.isArray(output.items)) return output.items.filter(isRow);
  return [];
}

/** The single row of a details/create action's output: the row itself, or a write's `{ row, applied }`. */
export function rowOf(output: unknown): Row | null {
  if (!isRow(output)) return null;
  if (isRow(output.row) && "applied" in output) return output.row;
  return output;
}

export function isRow(value: unknown): value is Row {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The domain input every domain-scoped action takes. */
export function inDomain(request: CommandRequest, input: Record<string, unknown> = {}): Record<string, unknown> {
  return { domain_uuid: request.domainUuid, ...input };
}
