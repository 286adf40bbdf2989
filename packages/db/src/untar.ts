import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

/** Safe relative path of a tar member, or null for the archive root. Rejects `..` and odd names. */
function memberPath(name: string): string | null {
  const parts = name.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.length === 0) return null;
  if (parts.some((p) => p === ".." || p.includes("\0"))) throw new Error(`unsafe path in archive: ${name}`);
  return parts.join("/");
}

function field(block: Uint8Array, start: number, length: number): string {
  const bytes = block.subarray(start, start + length);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end === -1 ? bytes : bytes.subarray(0, end));
}

/**
 * Extracts a gzip'd ustar archive of plain files and directories (what PGlite's dumpDataDir writes)
 * into `target`. Much faster than loading it through PGlite's emulated file system.
 */
export function extractTarGz(archive: Uint8Array, target: string): number {
  const gzipped = archive[0] === 0x1f && archive[1] === 0x8b;
  const data = gzipped ? gunzipSync(archive) : archive;
  mkdirSync(target, { recursive: true, mode: 0o700 });
  let offset = 0;
  let files = 0;
  while (offset + 512 <= data.length) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const name = field(header, 0, 100);
    const prefix = field(header, 257, 6).startsWith("ustar") ? field(header, 345, 155) : "";
    const size = Number.parseInt(field(header, 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(header[156] ?? 0);
    offset += 512;
    const relative = memberPath(prefix ? `${prefix}/${name}` : name);
    if (relative !== null) {
      if (type === "5") {
        mkdirSync(join(target, relative), { recursive: true, mode: 0o700 });
      } else if (type === "0" || type === "\0") {
        writeFileSync(join(target, relative), data.subarray(offset, offset + size), { mode: 0o600 });
        files++;
      } else {
        throw new Error(`unsupported entry type "${type}" for ${relative} in archive`);
      }
    }
    offset += Math.ceil(size / 512) * 512;
  }
  return files;
}
