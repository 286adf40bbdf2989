import { randomInt } from "node:crypto";
import bcrypt from "bcryptjs";

/** FusionPBX's `generate_password(20, 3)` alphabet: digits and letters without the look-alikes l, o, O. */
const SECRET_ALPHABET = "0123456789abcdefghijkmnopqrstuvwxyzABCDEFGHIJKLMNPQRSTUVWXYZ";

export function generateSecret(length = 20): string {
  let secret = "";
  for (let i = 0; i < length; i++) secret += SECRET_ALPHABET[randomInt(SECRET_ALPHABET.length)];
  return secret;
}

/** PHP `password_hash($secret, PASSWORD_DEFAULT)` with cost 10: the `$2y$10$…` FusionPBX's UI stores. */
export async function hashSecret(secret: string, cost = 10): Promise<string> {
  const hash = await bcrypt.hash(secret, cost);
  // $2a$/$2b$ and PHP's $2y$ are the same algorithm for these inputs; PHP writes $2y$.
  return hash.replace(/^\$2[ab]\$/, "$2y$");
}

/** PHP `password_verify($secret, $hash)` for bcrypt hashes ($2y$, $2a$, $2b$); false for anything else. */
export async function verifySecret(secret: string, hash: string): Promise<boolean> {
  if (!/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash)) return false;
  try {
    return await bcrypt.compare(secret, hash.replace(/^\$2y\$/, "$2b$"));
  } catch {
    return false;
  }
}
