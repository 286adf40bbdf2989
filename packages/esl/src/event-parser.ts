import type { SwitchEvent } from "./switch.ts";

/** Undo FreeSWITCH's `switch_url_encode` (plain events): `%XX` → byte, decoded as UTF-8. `+` stays `+`. */
export function switchUrlDecode(value: string): string {
  if (!value.includes("%")) return value;
  const bytes: number[] = [];
  const raw = Buffer.from(value, "utf8");
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i]!;
    if (byte === 0x25 && i + 2 < raw.length) {
      const hex = String.fromCharCode(raw[i + 1]!, raw[i + 2]!);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(Number.parseInt(hex, 16));
        i += 2;
        continue;
      }
    }
    bytes.push(byte);
  }
  return Buffer.from(bytes).toString("utf8");
}

/**
 * The payload of a `text/event-plain` frame: url-encoded `Name: value` lines, a blank line, then
 * (when the inner Content-Length header is present) that many bytes of body.
 */
export function parsePlainEvent(payload: string): SwitchEvent {
  const bytes = Buffer.from(payload, "utf8");
  const end = bytes.indexOf("\n\n");
  const headerText = bytes.toString("utf8", 0, end < 0 ? bytes.length : end);
  const headers: Record<string, string> = {};
  for (const line of headerText.split("\n")) {
    const colon = line.indexOf(": ");
    if (colon <= 0) continue;
    const value = line.slice(colon + 2);
    headers[line.slice(0, colon)] = value === "_undef_" ? "" : switchUrlDecode(value);
  }
  let body: string | undefined;
  const length = Number.parseInt(headers["Content-Length"] ?? "", 10);
  if (end >= 0 && Number.isFinite(length)) {
    body = bytes.toString("utf8", end + 2, end + 2 + length);
    delete headers["Content-Length"];
  }
  return { name: headers["Event-Name"] ?? "", headers, ...(body !== undefined ? { body } : {}) };
}

/** The payload of a `text/event-json` frame (values raw; `_body` holds the body). */
export function parseJsonEvent(payload: string): SwitchEvent {
  const parsed = JSON.parse(payload) as Record<string, unknown>;
  const headers: Record<string, string> = {};
  let body: string | undefined;
  for (const [key, value] of Object.entries(parsed)) {
    if (key === "_body") body = String(value);
    else if (Array.isArray(value)) headers[key] = value.map(String).join("|");
    else if (value !== null && value !== undefined) headers[key] = String(value);
  }
  if (body !== undefined) delete headers["Content-Length"];
  return { name: headers["Event-Name"] ?? "", headers, ...(body !== undefined ? { body } : {}) };
}
