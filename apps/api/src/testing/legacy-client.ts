import { appendFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { LEGACY_PATH } from "../legacy/rest-php.ts";

/**
 * Where every legacy exchange of the test suite is written, one JSON line each, so that
 * src/docs/recorded-exchanges.check.ts can validate each response against /openapi.json afterwards.
 */
export const LEGACY_EXCHANGES_FILE = join(import.meta.dir, "..", "..", "test-results", "legacy-exchanges.jsonl");

export interface LegacyExchange {
  method: string;
  body: string;
  status: number;
  text: string;
}

const recorded: string[] = [];

/** Kept in memory (recording costs the tests nothing) and written by `flushLegacyExchanges` at the end. */
function record(exchange: LegacyExchange): void {
  recorded.push(`${JSON.stringify(exchange)}\n`);
}

/** Appends the exchanges recorded so far to LEGACY_EXCHANGES_FILE (run once after all tests: bunfig.toml). */
export function flushLegacyExchanges(): void {
  if (recorded.length === 0) return;
  mkdirSync(dirname(LEGACY_EXCHANGES_FILE), { recursive: true });
  appendFileSync(LEGACY_EXCHANGES_FILE, recorded.splice(0).join(""));
}

/** POSTs a raw body to the legacy route like `curl -d` does (form-encoded Content-Type). */
export async function legacyPost(origin: string, body: string, headers: Record<string, string> = {}, method = "POST") {
  const response = await fetch(`${origin}${LEGACY_PATH}`, {
    method,
    body: method === "GET" || method === "HEAD" ? undefined : body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  });
  const text = await response.text();
  if (method !== "HEAD") record({ method, body, status: response.status, text });
  return { status: response.status, text, headers: response.headers };
}
