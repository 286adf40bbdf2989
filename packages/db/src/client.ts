import postgres from "postgres";

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;
/** Anything that can run a query: the pool or an open transaction. */
export type Queryable = postgres.Sql | postgres.TransactionSql;
export type Row = Record<string, unknown>;

const identity = (x: string) => x;

/**
 * Type parsers that reproduce what PHP's PDO pgsql hands the original app: numeric, timestamps and json
 * stay as PostgreSQL's own text; int8 becomes a number; booleans stay booleans (porsager's default).
 */
export const pdoTypes = {
  rawNumeric: { to: 1700, from: [1700], serialize: (x: unknown) => String(x), parse: identity },
  rawTimestamptz: { to: 1184, from: [1184], serialize: (x: unknown) => String(x), parse: identity },
  rawTimestamp: { to: 1114, from: [1114], serialize: (x: unknown) => String(x), parse: identity },
  rawDate: { to: 1082, from: [1082], serialize: (x: unknown) => String(x), parse: identity },
  rawJson: { to: 114, from: [114], serialize: (x: unknown) => (typeof x === "string" ? x : JSON.stringify(x)), parse: identity },
  rawJsonb: { to: 3802, from: [3802], serialize: (x: unknown) => (typeof x === "string" ? x : JSON.stringify(x)), parse: identity },
  int8AsNumber: { to: 20, from: [20], serialize: (x: unknown) => String(x), parse: (x: string) => Number(x) },
} as const;

export interface SqlOptions {
  max?: number;
  idleTimeoutSeconds?: number;
  connectTimeoutSeconds?: number;
  onnotice?: (notice: postgres.Notice) => void;
}

/** A porsager client with the PDO-compatible parsers. */
export function createSql(url: string, options: SqlOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    idle_timeout: options.idleTimeoutSeconds ?? 30,
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    onnotice: options.onnotice ?? (() => {}),
    types: pdoTypes as unknown as Record<string, postgres.PostgresType>,
    fetch_types: false,
    connection: { application_name: "switchboard" },
  });
}
