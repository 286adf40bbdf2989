import { request as httpRequest } from "node:http";
import { type AnyAction, actions } from "@switchboard/core";
import type { Queryable } from "@switchboard/db";
import { z } from "zod";

/** Every table an action may write; an invalid request must leave all of them as they were. */
export const WRITTEN_TABLES = [
  "v_domains",
  "v_extensions",
  "v_voicemails",
  "v_destinations",
  "v_dialplans",
  "v_dialplan_details",
  "v_ring_groups",
  "v_ring_group_destinations",
  "v_database_transactions",
  "rest_api_keys",
  "switchboard_key_policies",
  "switchboard_calls",
  "switchboard_idempotency",
] as const;

export type RowCounts = Record<string, number>;

const countStatements = new WeakMap<object, string | null>();

/** Row counts of every written table, in one statement (the table list is read once per client). */
export async function rowCounts(sql: Queryable): Promise<RowCounts> {
  let statement = countStatements.get(sql);
  if (statement === undefined) {
    const present = await sql<{ table_name: string }[]>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_name in ${sql(WRITTEN_TABLES as unknown as string[])}`;
    const names = present.map((r) => r.table_name).sort();
    statement = names.length
      ? `select ${names.map((n) => `(select count(*)::int from ${n}) as "${n}"`).join(", ")}`
      : null;
    countStatements.set(sql, statement);
  }
  if (statement === null) return {};
  const [row] = await sql.unsafe(statement);
  return row as RowCounts;
}

/** Tables whose count changed between two snapshots. */
export function changedTables(before: RowCounts, after: RowCounts): string[] {
  return Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
}

/** Signs of a leaked stack trace or internal path in a response body. */
const STACK_SIGNS = [
  /\n\s+at\s/,
  /\bat\s+\S+\s+\(\S+:\d+:\d+\)/,
  /\.ts:\d+/,
  /\.js:\d+/,
  /node_modules/,
  /\/work\//,
  /file:\/\//,
  /"stack"\s*:/,
];

export function leakedInternals(text: string): string | null {
  for (const sign of STACK_SIGNS) if (sign.test(text)) return `matches ${sign}`;
  return null;
}

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * What a hostile-input response must look like on the legacy route: JSON (an error object, a row, a list or
 * `false`), no leaked internals, and never the unexpected-error 500 (that means an exception escaped the
 * action instead of the input being refused).
 */
export function legacyResponseProblem(status: number, text: string): string | null {
  const parsed = parseJson(text);
  if (!parsed.ok) return `not JSON (status ${status}): ${text.slice(0, 200)}`;
  const leak = leakedInternals(text);
  if (leak) return `leaks internals (${leak}): ${text.slice(0, 300)}`;
  if (status >= 500 && status !== 503) {
    const body = parsed.value as { error?: unknown; message?: unknown } | null;
    if (!body || typeof body !== "object" || typeof body.error !== "string")
      return `${status} without a JSON error: ${text.slice(0, 200)}`;
    if (body.error === "internal_server_error" && body.message === undefined)
      return `unexpected error escaped (500 internal_server_error)`;
  }
  if (status >= 400 && status !== 413) {
    const body = parsed.value as { error?: unknown } | null;
    if (!body || typeof body !== "object" || body.error === undefined)
      return `${status} without an error member: ${text.slice(0, 200)}`;
  }
  return null;
}

/** The same for tRPC: a tRPC error envelope with a known code, no stack. */
const TRPC_CODES = new Set([
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "TOO_MANY_REQUESTS",
  "SERVICE_UNAVAILABLE",
  "PAYLOAD_TOO_LARGE",
  "METHOD_NOT_SUPPORTED",
  "UNPROCESSABLE_CONTENT",
  "PARSE_ERROR",
  "PRECONDITION_FAILED",
  "UNSUPPORTED_MEDIA_TYPE",
]);

export function trpcResponseProblem(status: number, text: string): string | null {
  const parsed = parseJson(text);
  if (!parsed.ok) return `not JSON (status ${status}): ${text.slice(0, 200)}`;
  const leak = leakedInternals(text);
  if (leak) return `leaks internals (${leak}): ${text.slice(0, 300)}`;
  if (status === 200) return null;
  const envelope = parsed.value as { error?: { message?: unknown; data?: { code?: unknown } } } | null;
  const code = envelope?.error?.data?.code;
  if (typeof code !== "string") return `${status} without a tRPC error code: ${text.slice(0, 200)}`;
  if (!TRPC_CODES.has(code)) return `${status} with code ${code}: ${text.slice(0, 300)}`;
  if (typeof envelope?.error?.message !== "string") return `${status} without a message`;
  return null;
}

/** The object keys of an action's input schema (top level), for generating bodies. */
export function inputKeys(action: AnyAction): string[] {
  const schema = action.input as unknown as { shape?: Record<string, unknown> };
  return schema.shape ? Object.keys(schema.shape) : [];
}

export const allActions: readonly AnyAction[] = actions as readonly AnyAction[];

/** Every parameter name any action reads on either face. */
export function allParameterNames(): string[] {
  const names = new Set<string>();
  for (const a of allActions) {
    for (const k of inputKeys(a)) names.add(k);
    for (const k of a.legacy?.required ?? []) names.add(k);
  }
  return [...names].sort();
}

/**
 * Hostile strings, by what they attack. Each must be refused (400) or stored/sent inert: escaped in
 * dialplan XML, never reaching a FreeSWITCH command with its special characters intact, bound as SQL
 * parameters.
 */
export const HOSTILE = {
  xml: [
    '"',
    "<",
    ">",
    "&",
    "]]>",
    '100" continue="true',
    '</condition><action application="system" data="id"/>',
    "&amp;&lt;",
    "<![CDATA[x]]>",
  ],
  switchCommand: [
    "100 200",
    "100'",
    '100"',
    "100}",
    "{origination_uuid=x}100",
    "100,ignore_early_media=false",
    "100\nbgapi system id",
    "100\r\n\r\napi system id",
    "100&bridge(sofia/x)",
    "100|sofia/gateway/x/1",
    "100;system id",
    "100\tx",
    "100\u0000x",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: FreeSWITCH's own variable expansion, sent literally
    "${system(id)}",
  ],
  sql: ["' OR '1'='1", "'; drop table v_domains; --", "1; select pg_sleep(10)", "\\'", "$1", "0x27"],
  traversal: [
    "../../githook",
    "..\\..\\x",
    "../actions/domain-details",
    "/etc/passwd",
    "domain-details/../../x",
    "domain-details\u0000",
    "%2e%2e%2fgithook",
  ],
  unicode: ["\u202e001", "１００", "\ud800", "é".repeat(300), "x".repeat(5000)],
} as const;

export const ALL_HOSTILE: readonly string[] = Object.values(HOSTILE).flat();

/**
 * A minimal XML well-formedness check for dialplan XML (elements, quoted attributes, entities): enough to
 * show that a value broke out of its attribute or element.
 */
export function xmlProblem(xml: string): string | null {
  const stack: string[] = [];
  let i = 0;
  const entity = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
  while (i < xml.length) {
    const ch = xml[i]!;
    if (ch === "<") {
      const tag = /^<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*"[^"<]*")*)\s*(\/?)>/.exec(xml.slice(i));
      if (!tag) return `malformed tag at ${i}: ${xml.slice(i, i + 60)}`;
      const [whole, closing, name, attributes, selfClosing] = tag;
      for (const value of attributes!.matchAll(/"([^"]*)"/g)) {
        const text = value[1]!;
        for (let j = text.indexOf("&"); j >= 0; j = text.indexOf("&", j + 1)) {
          if (!entity.test(text.slice(j))) return `bare & in attribute of <${name}>`;
        }
      }
      if (closing) {
        if (stack.pop() !== name) return `unbalanced </${name}>`;
      } else if (!selfClosing) {
        stack.push(name!);
      }
      i += whole!.length;
    } else if (ch === "&") {
      if (!entity.test(xml.slice(i))) return `bare & in text at ${i}`;
      i++;
    } else if (ch === ">") {
      return `bare > in text at ${i}`;
    } else {
      i++;
    }
  }
  return stack.length ? `unclosed <${stack.join("><")}>` : null;
}

/** A request from a chosen loopback source address (127.0.0.x), so tests can be several clients. */
export function requestFrom(
  localAddress: string,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; text: string; headers: Record<string, string | string[] | undefined> }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: Number(target.port),
        path: target.pathname + target.search,
        method: options.method ?? "POST",
        headers: options.headers,
        localAddress,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), headers: res.headers }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** The zod shape of tRPC's error envelope, for tests that read it. */
export const trpcErrorEnvelope = z.object({
  error: z.object({
    message: z.string(),
    code: z.number(),
    data: z.object({ code: z.string(), httpStatus: z.number() }).loose(),
  }),
});
