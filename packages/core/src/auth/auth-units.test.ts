import { describe, expect, test } from "bun:test";
import { parseAuthorization } from "./credentials.ts";
import { createFailureLimiter } from "./failure-limiter.ts";
import { parseKeyId } from "./key-id.ts";
import { generateSecret, hashSecret, verifySecret } from "./secret.ts";
import { createVerificationCache } from "./verification-cache.ts";

const ID = "5bc14e83-fc4e-4578-99b8-c7151eb2ec54";

describe("parseKeyId accepts what PostgreSQL's uuid input accepts", () => {
  test.each([
    [ID, ID],
    [ID.toUpperCase(), ID],
    [`{${ID}}`, ID],
    [ID.replaceAll("-", ""), ID],
    ["5bc1-4e83-fc4e-4578-99b8-c715-1eb2-ec54", ID],
  ])("%s", (input, expected) => expect(parseKeyId(input)).toBe(expected));

  test.each([
    ["not-a-uuid"],
    [""],
    [`{${ID}`],
    [`${ID}}`],
    [`${ID}0`],
    [`-${ID}`],
    [`${ID}-`],
    ["5bc14e83--fc4e-4578-99b8-c7151eb2ec54"],
    [" " + ID],
  ])("rejects %p", (input) => expect(parseKeyId(input)).toBeNull());
});

describe("parseAuthorization", () => {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  test("Basic splits at the first colon", () => {
    expect(parseAuthorization(`Basic ${b64("id:se:cret")}`, { allowBearer: false })).toEqual({
      keyId: "id",
      secret: "se:cret",
    });
    expect(parseAuthorization(`basic ${b64("id:")}`, { allowBearer: false })).toEqual({ keyId: "id", secret: "" });
  });
  test("no colon, no header, other schemes: none", () => {
    expect(parseAuthorization(`Basic ${b64("idonly")}`, { allowBearer: true })).toBeNull();
    expect(parseAuthorization(undefined, { allowBearer: true })).toBeNull();
    expect(parseAuthorization("Digest abc", { allowBearer: true })).toBeNull();
    expect(parseAuthorization("Basic !!!", { allowBearer: true })).toBeNull();
  });
  test("Bearer only where allowed", () => {
    expect(parseAuthorization(`Bearer ${ID}:s3cret`, { allowBearer: true })).toEqual({ keyId: ID, secret: "s3cret" });
    expect(parseAuthorization(`Bearer ${ID}:s3cret`, { allowBearer: false })).toBeNull();
  });
});

describe("secrets", () => {
  test("FusionPBX's alphabet and length", () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^[0-9a-km-zA-NP-Z]{20}$/);
    expect(generateSecret()).not.toBe(secret);
  });

  test("our $2y$10$ hashes verify with another bcrypt implementation, and its hashes verify here", async () => {
    const ours = await hashSecret("jM2GQuYgQTkIGE6nJ2SP");
    expect(ours).toMatch(/^\$2y\$10\$[./A-Za-z0-9]{53}$/);
    expect(await Bun.password.verify("jM2GQuYgQTkIGE6nJ2SP", ours)).toBe(true);
    expect(await Bun.password.verify("jM2GQuYgQTkIGE6nJ2SQ", ours)).toBe(false);

    const theirs = (await Bun.password.hash("jM2GQuYgQTkIGE6nJ2SP", { algorithm: "bcrypt", cost: 10 })).replace(
      /^\$2[ab]\$/,
      "$2y$",
    );
    expect(theirs).toStartWith("$2y$10$");
    expect(await verifySecret("jM2GQuYgQTkIGE6nJ2SP", theirs)).toBe(true);
    expect(await verifySecret("", theirs)).toBe(false);
    expect(await verifySecret("jM2GQuYgQTkIGE6nJ2SP", "plaintext")).toBe(false);
  });
});

describe("verification cache", () => {
  test("remembers a secret for a stored hash until the TTL, a change or a forget", () => {
    let now = 0;
    const cache = createVerificationCache({ ttlMs: 1000, now: () => now });
    cache.remember("k", "$hash1", "s");
    expect(cache.has("k", "$hash1", "s")).toBe(true);
    expect(cache.has("k", "$hash1", "other")).toBe(false);
    expect(cache.has("k", "$hash2", "s")).toBe(false);
    now = 1000;
    expect(cache.has("k", "$hash1", "s")).toBe(false);
    cache.remember("k", "$hash1", "s");
    cache.forget("k");
    expect(cache.has("k", "$hash1", "s")).toBe(false);
  });

  test("stays bounded", () => {
    const cache = createVerificationCache({ maxEntries: 3 });
    for (let i = 0; i < 10; i++) cache.remember(`k${i}`, "h", "s");
    expect(cache.size).toBe(3);
    expect(cache.has("k9", "h", "s")).toBe(true);
  });
});

describe("failure limiter", () => {
  test("blocks one identifier after max failures until the window passes, others unaffected", () => {
    let now = 0;
    const limiter = createFailureLimiter({ maxFailures: 3, windowMs: 10_000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter("a")).toBe(0);
      limiter.fail("a");
      now += 1000;
    }
    expect(limiter.retryAfter("a")).toBe(7);
    expect(limiter.retryAfter("b")).toBe(0);
    now = 10_001;
    expect(limiter.retryAfter("a")).toBe(0);
  });

  test("attempts in flight count against the limit until they end", () => {
    const limiter = createFailureLimiter({ maxFailures: 2, windowMs: 60_000 });
    expect(limiter.begin("a")).toBe(0);
    expect(limiter.begin("a")).toBe(0);
    expect(limiter.begin("a")).toBe(1);
    expect(limiter.end("a", false)).toBe(0);
    expect(limiter.begin("a")).toBe(0);
    limiter.end("a", true);
    limiter.end("a", true);
    expect(limiter.retryAfter("a")).toBe(60);
    expect(limiter.begin("b")).toBe(0);
  });

  test("tracks a bounded number of identifiers", () => {
    const limiter = createFailureLimiter({ maxFailures: 2, windowMs: 60_000, maxTracked: 100 });
    for (let i = 0; i < 1000; i++) limiter.fail(`addr${i}`);
    expect(limiter.size).toBeLessThanOrEqual(100);
  });
});
