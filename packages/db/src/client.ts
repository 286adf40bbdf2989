import postgres from "postgres";

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;
/** Anything that can run a query: the pool or an open transaction. */
export type Queryable = postgres.Sql | postgres.TransactionSql;
export type Row = Record<string, unknown>;

const identity = (x: string) => x;

/** `{"a","b\\"c",NULL}`: a one-dimensional text[] literal. */
export function serializeTextArray(value: unknown): string {
  if (!Array.isArray(value)) return String(value);
  const items = value.map((x) =>
    x === null || x === undefined ? "NULL" : `"${String(x).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`,
  );
  return `{${items.join(",")}}`;
}

/** Parses PostgreSQL's text output of a one-dimensional text[] (quoted or bare items, NULL). */
export function parseTextArray(text: string): (string | null)[] {
  const out: (string | null)[] = [];
  if (text.length < 2 || text === "{}") return out;
  let i = 1;
  while (i < text.length - 1) {
    if (text[i] === '"') {
      let item = "";
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\") i++;
        item += text[i];
        i++;
      }
      out.push(item);
      i += 2; // closing quote and the comma
    } else {
      const end = text.indexOf(",", i) === -1 ? text.length - 1 : text.indexOf(",", i);
      const item = text.slice(i, end);
      out.push(item === "NULL" ? null : item);
      i = end + 1;
    }
  }
  return out;
}

/**
 * Type parsers that reproduce what PHP's PDO pgsql hands the original app: numeric, timestamps and json
 * stay as PostgreSQL's own text; int8 becomes a number; booleans stay booleans (porsager's default).
 */
export const pdoTypes = {
  rawNumeric: { to: 1700, from: [1700], serialize: (x: unknown) => String(x), parse: identity },
  rawTimestamptz: { to: 1184, from: [1184], serialize: (x: unknown) => String(x), parse: identity },
  rawTimestamp: { to: 1114, from: [1114], serialize: (x: unknown) => String(x), parse: identity },
  rawDate: { to: 1082, from: [1082], serialize: (x: unknown) => String(x), parse: identity },
  rawJson: {
    to: 114,
    from: [114],
    serialize: (x: unknown) => (typeof x === "string" ? x : JSON.stringify(x)),
    parse: identity,
  },
  rawJsonb: {
    to: 3802,
    from: [3802],
    serialize: (x: unknown) => (typeof x === "string" ? x : JSON.stringify(x)),
    parse: identity,
  },
  int8AsNumber: { to: 20, from: [20], serialize: (x: unknown) => String(x), parse: (x: string) => Number(x) },
  // porsager's own boolean serializer writes anything but `true` as 'f', so the text 'true' that PHP binds
  // (and FusionPBX code passes) would silently become false; let PostgreSQL parse text as PDO does.
  pdoBoolean: {
    to: 16,
    from: [16],
    serialize: (x: unknown) => (typeof x === "boolean" ? (x ? "t" : "f") : String(x)),
    parse: (x: string) => x === "t",
  },
  // Switchboard's own scope lists. With fetch_types off porsager knows no array types, so text[] would
  // otherwise be sent as `a,b` and read back as the raw literal. No FusionPBX table has array columns.
  textArray: { to: 1009, from: [1009], serialize: serializeTextArray, parse: parseTextArray },
} as const;

export interface SqlOptions {
  max?: number;
  idleTimeoutSeconds?: number;
  connectTimeoutSeconds?: number;
  onnotice?: (notice: postgres.Notice) => void;
}

/** A porsager client with the PDO-compatible parsers. */
export function createSql(url: string, options: SqlOptions = {}): Sql {
  const sql = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: options.idleTimeoutSeconds ?? 30,
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    // The driver's default backoff grows to 20 s across the whole pool during an outage, so service would
    // resume up to 20 s after PostgreSQL returns; retry at most a second apart instead.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    onnotice: options.onnotice ?? (() => {}),
    types: pdoTypes as unknown as Record<string, postgres.PostgresType>,
    fetch_types: false,
    connection: { application_name: "switchboard" },
  });
  // So that sql.array(["a", "b"]) is typed text[] (porsager maps element oid to array oid here).
  (sql.options as unknown as { shared: { typeArrayMap: Record<number, number> } }).shared.typeArrayMap[25] = 1009;
  return sql;
}
