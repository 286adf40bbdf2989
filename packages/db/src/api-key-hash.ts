import bcrypt from "bcryptjs";

/**
 * Hashes an API key secret the way the original's key_edit.php stored it: PHP
 * `password_hash($secret, PASSWORD_DEFAULT)` = bcrypt cost 10 with PHP's `$2y$` prefix. `$2y$` and
 * `$2b$` are the same algorithm; bcryptjs writes `$2b$`, so the prefix is rewritten.
 */
export async function hashApiSecret(secret: string, cost = 10): Promise<string> {
  const hash = await bcrypt.hash(secret, cost);
  return `$2y$${hash.slice(4)}`;
}

/**
 * Checks a secret against a stored bcrypt hash ($2y$, $2b$ or $2a$). False for anything that is not one.
 * On Bun the check runs natively off the main thread (bcryptjs would block every other request for the
 * tens of milliseconds each check costs); secrets over bcrypt's 72 bytes go to bcryptjs, because Bun
 * pre-hashes those while PHP truncates them.
 */
export async function verifyApiSecret(secret: string, storedHash: string | null | undefined): Promise<boolean> {
  if (!storedHash || !/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(storedHash)) return false;
  try {
    if (typeof Bun !== "undefined" && Buffer.byteLength(secret) <= 72)
      return await Bun.password.verify(secret, storedHash, "bcrypt");
    return await bcrypt.compare(secret, storedHash);
  } catch {
    return false;
  }
}
