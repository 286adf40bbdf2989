import type { HttpTarget } from "./load.ts";
import type { ReadName } from "./reads.ts";
import { legacy, slashCommand, type TargetContext, trpcMutation, trpcQuery } from "./targets.ts";

export interface BenchCase {
  id: string;
  title: string;
  request: string;
  /** The read whose SQL is this case's ceiling. */
  ceiling?: ReadName;
  /** Needs the slackbot. */
  slack?: boolean;
  /** SQL run once before this case (e.g. an index whose effect the case measures). */
  setupSql?: string;
  /** Run with the fake switch answering every command after this many ms. */
  switchDelayMs?: number;
  target(ctx: TargetContext): HttpTarget;
  /** Checks one real response before load, so a broken case is reported instead of measured. */
  check(status: number, body: string): string | null;
}

const isJson = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};

function expectStatus(expected: number, status: number, body: string): string | null {
  return status === expected ? null : `status ${status} (expected ${expected}): ${body.slice(0, 300)}`;
}

/** Unique extension numbers across every run of the create case (the tenant has 1000–1999). */
let nextExtension = 100_000;

export const CASES: BenchCase[] = [
  {
    id: "legacy domain-details",
    title: "Legacy `domain-details`",
    request:
      'POST `/app/rest_api/rest.php` `{"action":"domain-details","domain_uuid":…}` with Basic auth, as the original\'s README does it.',
    ceiling: "domain-details",
    target: (ctx) => legacy(ctx, { action: "domain-details", domain_uuid: ctx.domainUuid }),
    check: (status, body) =>
      expectStatus(200, status, body) ??
      ((isJson(body) as { domain_uuid?: string })?.domain_uuid ? null : `no domain row: ${body.slice(0, 200)}`),
  },
  {
    id: "trpc domains.details",
    title: "tRPC `domains.details`",
    request: "GET `/trpc/domains.details?input=…` with Basic auth (what `@trpc/client`'s httpLink sends).",
    ceiling: "domain-details",
    target: (ctx) => trpcQuery(ctx, "domains.details", { domain_uuid: ctx.domainUuid }),
    check: (status, body) =>
      expectStatus(200, status, body) ??
      (body.includes("domain_uuid") ? null : `no domain in result: ${body.slice(0, 200)}`),
  },
  {
    id: "legacy extension-list",
    title: "Legacy `extension-list` (1,000 rows)",
    request:
      'POST `/app/rest_api/rest.php` `{"action":"extension-list","domain_uuid":…}`; the answer is all 1,000 extensions (~100 KB).',
    ceiling: "extension-list",
    target: (ctx) => legacy(ctx, { action: "extension-list", domain_uuid: ctx.domainUuid }),
    check: (status, body) => {
      const bad = expectStatus(200, status, body);
      if (bad) return bad;
      const rows = isJson(body);
      return Array.isArray(rows) && rows.length >= 1000 ? null : `expected ≥1000 rows: ${body.slice(0, 200)}`;
    },
  },
  {
    id: "legacy cdr-list",
    title: "Legacy `cdr-list` (newest 100 of 100,000)",
    request:
      'POST `/app/rest_api/rest.php` `{"action":"cdr-list","domain_uuid":…}`: the newest 100 CDRs of the tenant\'s 100,000.',
    ceiling: "cdr-list",
    target: (ctx) => legacy(ctx, { action: "cdr-list", domain_uuid: ctx.domainUuid }),
    check: (status, body) => {
      const bad = expectStatus(200, status, body);
      if (bad) return bad;
      const rows = isJson(body);
      return Array.isArray(rows) && rows.length === 100 ? null : `expected 100 rows: ${body.slice(0, 200)}`;
    },
  },
  {
    id: "legacy cdr-list, indexed",
    title: "Legacy `cdr-list` with an index on `v_xml_cdr (domain_uuid, end_stamp DESC)`",
    request:
      "The same request after `CREATE INDEX … ON v_xml_cdr (domain_uuid, end_stamp DESC)` (FusionPBX 5.6 ships only `(domain_uuid)`, 5.1 nothing): the fix the previous case calls for, measured.",
    ceiling: "cdr-list",
    setupSql:
      "create index if not exists switchboard_bench_xml_cdr_domain_end on v_xml_cdr (domain_uuid, end_stamp desc); analyze v_xml_cdr",
    target: (ctx) => legacy(ctx, { action: "cdr-list", domain_uuid: ctx.domainUuid }),
    check: (status, body) => {
      const bad = expectStatus(200, status, body);
      if (bad) return bad;
      const rows = isJson(body);
      return Array.isArray(rows) && rows.length === 100 ? null : `expected 100 rows: ${body.slice(0, 200)}`;
    },
  },
  {
    id: "legacy extension-create",
    title: "Legacy `extension-create` (unique numbers)",
    request:
      'POST `/app/rest_api/rest.php` `{"action":"extension-create","domain_uuid":…,"extension":"<unique>"}`: an extension and its voicemail box in one transaction, plus FusionPBX\'s transaction log row and cache flush.',
    target: (ctx) =>
      legacy(ctx, () => ({
        action: "extension-create",
        domain_uuid: ctx.domainUuid,
        extension: String(nextExtension++),
        caller_id_name: "Bench User",
      })),
    check: (status, body) =>
      expectStatus(200, status, body) ??
      ((isJson(body) as { extension_uuid?: string })?.extension_uuid
        ? null
        : `no extension row: ${body.slice(0, 200)}`),
  },
  {
    id: "trpc calls.originate async",
    title: "tRPC `calls.originate` (asynchronous)",
    request:
      "POST `/trpc/calls.originate` `{domain_uuid, caller_id_number, ring_first: <extension>, connect_to: <number>}` (mode defaults to async): recorded, sent as `bgapi` with a pre-set uuid, answered with the call id at once.",
    target: (ctx) =>
      trpcMutation(ctx, "calls.originate", () => ({
        domain_uuid: ctx.domainUuid,
        caller_id_number: "12065550100",
        ring_first: String(ctx.firstExtension + (nextExtension++ % 1000)),
        connect_to: "12065550199",
      })),
    check: (status, body) =>
      expectStatus(200, status, body) ?? (body.includes("call_uuid") ? null : `no call id: ${body.slice(0, 200)}`),
  },
  {
    id: "slack /call ack",
    title: "Slack `/call` slash command: time to ack",
    request:
      "POST `/slack/events`, a signed `/call 1000 12065550199` from a bound workspace; measured until Slack would see the ack.",
    slack: true,
    target: (ctx) => slashCommand(ctx, "/call", "1000 12065550199"),
    check: (status, body) => expectStatus(200, status, body),
  },
  {
    id: "slack /call ack, 5 s switch",
    title: "Slack `/call` ack while the switch takes 5 s to answer",
    request: "The same signed `/call`, with the fake switch delaying every command's result by 5 s.",
    slack: true,
    switchDelayMs: 5000,
    target: (ctx) => slashCommand(ctx, "/call", "1000 12065550199"),
    check: (status, body) => expectStatus(200, status, body),
  },
];
