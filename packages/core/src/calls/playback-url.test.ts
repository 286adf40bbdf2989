import { expect, test } from "bun:test";
import { ActionError } from "../errors.ts";
import { assertPlaybackUrlAllowed, playbackUrlPolicy } from "./playback-url.ts";

/** A resolver that knows a few names, as a zone file would. */
const zone: Record<string, string[]> = {
  "media.example.com": ["93.184.216.34"],
  "sneaky.example.com": ["93.184.216.34", "127.0.0.1"],
  "metadata.example.com": ["169.254.169.254"],
  "intranet.example.com": ["10.0.5.20"],
  "v6.example.com": ["::ffff:10.0.5.20"],
};
const resolve = async (host: string) => {
  const found = zone[host];
  if (!found) throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
  return found;
};

async function verdict(url: string, allow: string[] = []): Promise<string> {
  try {
    await assertPlaybackUrlAllowed(url, { allow, resolve });
    return "allowed";
  } catch (error) {
    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).field).toBe("file");
    expect((error as ActionError).legacy).toEqual({ status: 400, body: { error: "invalid parameter: file" } });
    return (error as ActionError).message;
  }
}

test("public addresses and files under the sounds directory are allowed", async () => {
  expect(await verdict("https://media.example.com/a.wav")).toBe("allowed");
  expect(await verdict("http://93.184.216.34/a.wav")).toBe("allowed");
  expect(await verdict("/usr/share/freeswitch/sounds/en/us/callie/a.wav")).toBe("allowed");
});

test("loopback, the event socket, private, link-local and unresolvable hosts are refused, in words", async () => {
  for (const url of [
    "http://127.0.0.1/a.wav",
    "http://127.0.0.1:8021/api",
    "http://localhost.localdomain.invalid/a.wav",
    "http://[::1]/a.wav",
    "http://[::ffff:127.0.0.1]/a.wav",
    "http://169.254.169.254/latest/meta-data/",
    "http://metadata.example.com/a.wav",
    "http://10.0.0.5/a.wav",
    "http://192.168.1.1/a.wav",
    "http://100.64.0.1/a.wav",
    "http://0.0.0.0/a.wav",
    "http://sneaky.example.com/a.wav",
    "http://2130706433/a.wav",
  ]) {
    const why = await verdict(url);
    expect([url, why.startsWith("file: ")]).toEqual([url, true]);
    expect(why).toContain("PLAYBACK_URL_ALLOW");
  }
  expect(await verdict("http://169.254.169.254/x")).toContain("linkLocal address (169.254.169.254)");
  expect(await verdict("http://nowhere.example.com/x")).toContain("could not be resolved");
});

test("PLAYBACK_URL_ALLOW lets an operator allow a host name or an address range", async () => {
  const policy = playbackUrlPolicy({ PLAYBACK_URL_ALLOW: " Intranet.example.com , 10.0.5.0/24,192.168.1.10" });
  expect(policy.allow).toEqual(["intranet.example.com", "10.0.5.0/24", "192.168.1.10"]);
  expect(await verdict("http://intranet.example.com/a.wav", [...policy.allow])).toBe("allowed");
  expect(await verdict("http://10.0.5.99/a.wav", [...policy.allow])).toBe("allowed");
  expect(await verdict("http://v6.example.com/a.wav", [...policy.allow])).toBe("allowed");
  expect(await verdict("http://192.168.1.10/a.wav", [...policy.allow])).toBe("allowed");
  expect(await verdict("http://192.168.1.11/a.wav", [...policy.allow])).toContain("private");
  expect(await verdict("http://127.0.0.1/a.wav", [...policy.allow])).toContain("loopback");
});
