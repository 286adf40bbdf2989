import { LEGACY_PATH } from "../legacy/rest-php.ts";

/** POSTs a raw body to the legacy route like `curl -d` does (form-encoded Content-Type). */
export async function legacyPost(origin: string, body: string, headers: Record<string, string> = {}, method = "POST") {
  const response = await fetch(`${origin}${LEGACY_PATH}`, {
    method,
    body: method === "GET" || method === "HEAD" ? undefined : body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  });
  const text = await response.text();
  return { status: response.status, text, headers: response.headers };
}
