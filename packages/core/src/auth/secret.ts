import { randomInt } from "node:crypto";
import { hashApiSecret, verifyApiSecret } from "@switchboard/db";

/** FusionPBX's `generate_password(20, 3)` alphabet: digits and letters without the look-alikes l, o, O. */
const SECRET_ALPHABET = "0123456789abcdefghijkmnopqrstuvwxyzABCDEFGHIJKLMNPQRSTUVWXYZ";

export function generateSecret(length = 20): string {
  let secret = "";
  for (let i = 0; i < length; i++) secret += SECRET_ALPHABET[randomInt(SECRET_ALPHABET.length)];
  return secret;
}

/** PHP `password_hash($secret, PASSWORD_DEFAULT)` with cost 10: the `$2y$10$…` FusionPBX's UI stores. */
export const hashSecret = hashApiSecret;

/** PHP `password_verify($secret, $hash)` for bcrypt hashes ($2y$, $2a$, $2b$); false for anything else. */
export const verifySecret = (secret: string, hash: string): Promise<boolean> => verifyApiSecret(secret, hash);
