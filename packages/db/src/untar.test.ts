import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { extractTarGz } from "./untar.ts";

const dir = mkdtempSync(join(tmpdir(), "sb-untar-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("extracts directories and files, including ones larger than a block", async () => {
  const src = join(dir, "src");
  mkdirSync(join(src, "base", "1"), { recursive: true });
  writeFileSync(join(src, "PG_VERSION"), "17\n");
  const big = "x".repeat(1300);
  writeFileSync(join(src, "base", "1", "1259"), big);
  writeFileSync(join(src, "empty"), "");
  const tar = Bun.spawnSync(["tar", "-C", src, "-czf", "-", "."]);
  expect(tar.exitCode).toBe(0);
  const out = join(dir, "out");
  expect(extractTarGz(tar.stdout, out)).toBe(3);
  expect(readFileSync(join(out, "PG_VERSION"), "utf8")).toBe("17\n");
  expect(readFileSync(join(out, "base", "1", "1259"), "utf8")).toBe(big);
  expect(readFileSync(join(out, "empty"), "utf8")).toBe("");
});

test("refuses members that climb out of the target", () => {
  const header = new Uint8Array(512);
  const put = (offset: number, text: string) => header.set(new TextEncoder().encode(text), offset);
  put(0, "../evil");
  put(124, "00000000000");
  put(156, "0");
  const archive = gzipSync(new Uint8Array([...header, ...new Uint8Array(1024)]));
  expect(() => extractTarGz(archive, join(dir, "evil-out"))).toThrow("unsafe path in archive: ../evil");
});
