/**
 * Server-side framing of mod_event_socket (docs/event-socket.md §1, §2, §5): the exact bytes FreeSWITCH writes.
 * Every header line is `Name: value\n` (LF only, colon-space), a blank line ends a block, and
 * Content-Length always counts bytes.
 */

export const DISCONNECT_GOODBYE = "Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n";
export const DISCONNECT_SHUTDOWN = "The system is being shut down.\n";
export const RUDE_REJECTION = "Access Denied, go away.\n";
export const MAX_CONTENT_LENGTH = 16 * 1024 * 1024;

export type HeaderList = ReadonlyArray<readonly [string, string]>;

function headerBlock(headers: HeaderList): string {
  return headers.map(([name, value]) => `${name}: ${value}\n`).join("") + "\n";
}

export const authRequestFrame = (): string => "Content-Type: auth/request\n\n";

/** `command/reply`; extra headers follow Reply-Text (the `~` shape bgapi uses). */
export function commandReplyFrame(replyText: string, extra: HeaderList = []): string {
  return headerBlock([["Content-Type", "command/reply"], ["Reply-Text", replyText], ...extra]);
}

export function apiResponseFrame(body: string): string {
  return (
    headerBlock([
      ["Content-Type", "api/response"],
      ["Content-Length", String(Buffer.byteLength(body))],
    ]) + body
  );
}

export function disconnectNoticeFrame(body: string = DISCONNECT_GOODBYE): string {
  return (
    headerBlock([
      ["Content-Type", "text/disconnect-notice"],
      ["Content-Length", String(Buffer.byteLength(body))],
    ]) + body
  );
}

export function rudeRejectionFrame(): string {
  return (
    headerBlock([
      ["Content-Type", "text/rude-rejection"],
      ["Content-Length", String(Buffer.byteLength(RUDE_REJECTION))],
    ]) + RUDE_REJECTION
  );
}

const URL_ENCODED = new Set(' #%&+:;<=>?@[\\]^`{|}"\r\n'.split(""));
const HEX = /^[0-9A-F]{2}$/;

/** FreeSWITCH's `switch_url_encode`: uppercase %XX for controls, non-ASCII and 23 specials; an existing `%XX` stays. */
export function switchUrlEncode(value: string): string {
  const bytes = Buffer.from(value, "utf8");
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    const char = String.fromCharCode(byte);
    if (char === "%" && HEX.test(String.fromCharCode(bytes[i + 1] ?? 0, bytes[i + 2] ?? 0))) {
      out += char;
    } else if (byte < 0x20 || byte > 0x7e || URL_ENCODED.has(char)) {
      out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    } else {
      out += char;
    }
  }
  return out;
}

/** The payload of a `text/event-plain` event: url-encoded headers, then the inner Content-Length and body. */
export function serializePlainEvent(headers: HeaderList, body?: string): string {
  let text = headers.map(([name, value]) => `${name}: ${value === "" ? "_undef_" : switchUrlEncode(value)}\n`).join("");
  if (body !== undefined && body !== "") {
    text += `Content-Length: ${Buffer.byteLength(body)}\n\n${body}`;
  } else {
    text += "\n";
  }
  return text;
}

/** The payload of a `text/event-json` event: compact JSON, raw values, `_body` last, no newline. */
export function serializeJsonEvent(headers: HeaderList, body?: string): string {
  const object: Record<string, string> = {};
  for (const [name, value] of headers) object[name] = value;
  if (body !== undefined && body !== "") {
    object["Content-Length"] = String(Buffer.byteLength(body));
    object["_body"] = body;
  }
  return JSON.stringify(object);
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The payload of a `text/event-xml` event (rarely used; 2-space indentation, no prolog). */
export function serializeXmlEvent(headers: HeaderList, body?: string): string {
  let text = "<event>\n  <headers>\n";
  for (const [name, value] of headers) text += `    <${name}>${switchUrlEncode(value)}</${name}>\n`;
  text += "  </headers>\n";
  if (body !== undefined && body !== "") {
    text += `  <Content-Length>${Buffer.byteLength(body)}</Content-Length>\n  <body>${xmlEscape(body)}</body>\n`;
  }
  return text + "</event>";
}

export type EventFormat = "plain" | "json" | "xml";

/** The outer event frame: Content-Length first, then Content-Type (mes.c ~1449). */
export function eventFrame(format: EventFormat, headers: HeaderList, body?: string): string {
  const payload =
    format === "json"
      ? serializeJsonEvent(headers, body)
      : format === "xml"
        ? serializeXmlEvent(headers, body)
        : serializePlainEvent(headers, body);
  return `Content-Length: ${Buffer.byteLength(payload)}\nContent-Type: text/event-${format}\n\n${payload}`;
}

/** One command block as FreeSWITCH's `read_packet` sees it. */
export interface ReceivedCommand {
  /** The first line, e.g. `api status`. */
  line: string;
  /** Further `Name: value` lines, names as sent. */
  headers: Array<[string, string]>;
  /** Bytes after the block when it carried Content-Length. */
  body: string;
  /** Everything received for this command, exactly (leading stray CR/LF excluded, as FS discards them). */
  raw: string;
}

export type ReadResult = { kind: "command"; command: ReceivedCommand } | { kind: "oversize" } | { kind: "incomplete" };

/**
 * Incremental reader of client commands: a header block ends at two LFs (CR ignored), then
 * `Content-Length` bytes of body. Leading CR/LF before a command are discarded.
 */
export class CommandReader {
  private buffer: Buffer = Buffer.alloc(0);

  push(data: Buffer): void {
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
  }

  next(): ReadResult {
    let start = 0;
    while (start < this.buffer.length && (this.buffer[start] === 0x0a || this.buffer[start] === 0x0d)) start++;
    if (start > 0) this.buffer = this.buffer.subarray(start);

    let end = -1;
    let previousNewline = false;
    for (let i = 0; i < this.buffer.length; i++) {
      const byte = this.buffer[i];
      if (byte === 0x0d) continue;
      if (byte === 0x0a) {
        if (previousNewline) {
          end = i + 1;
          break;
        }
        previousNewline = true;
      } else {
        previousNewline = false;
      }
    }
    if (end < 0) return { kind: "incomplete" };

    const headerText = this.buffer.toString("utf8", 0, end);
    const lines = headerText
      .replace(/\r/g, "")
      .split("\n")
      .filter((l) => l !== "");
    const line = lines[0] ?? "";
    const headers: Array<[string, string]> = [];
    for (const headerLine of lines.slice(1)) {
      const colon = headerLine.indexOf(":");
      if (colon < 0) continue;
      headers.push([headerLine.slice(0, colon), headerLine.slice(colon + 1).replace(/^ +/, "")]);
    }
    const lengthHeader = headers.find(([name]) => name.toLowerCase() === "content-length");
    let bodyLength = 0;
    if (lengthHeader) {
      bodyLength = Number.parseInt(lengthHeader[1], 10);
      if (!Number.isFinite(bodyLength) || bodyLength < 0 || bodyLength > MAX_CONTENT_LENGTH)
        return { kind: "oversize" };
    }
    if (this.buffer.length < end + bodyLength) return { kind: "incomplete" };
    const body = this.buffer.toString("utf8", end, end + bodyLength);
    const raw = this.buffer.toString("utf8", 0, end + bodyLength);
    this.buffer = this.buffer.subarray(end + bodyLength);
    return { kind: "command", command: { line, headers, body, raw } };
  }
}
