/** FusionPBX's `generate_password($length, $strength)` alphabets: no `l` in lower case, no `O` in upper case. */
export const PASSWORD_ALPHABETS = [
  "0123456789",
  "abcdefghijkmnopqrstuvwxyz",
  "ABCDEFGHIJKLMNPQRSTUVWXYZ",
  "!^$%*?.",
] as const;

/** The characters `generate_password(length, strength)` draws from. */
export function passwordAlphabet(strength: number): string {
  return PASSWORD_ALPHABETS.slice(0, Math.max(0, Math.min(4, Math.trunc(strength)))).join("");
}

/**
 * `generate_password(length, strength)`: uniform draws (like PHP's `random_int`) from a cryptographic source.
 * The original uses (10, 4) for SIP passwords and (8, 1) for voicemail PINs.
 */
export function generatePassword(length: number, strength: number): string {
  const alphabet = passwordAlphabet(strength);
  if (alphabet.length === 0) throw new RangeError("password strength must be 1..4");
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    const bytes = crypto.getRandomValues(new Uint8Array(Math.max(16, length * 2)));
    for (const byte of bytes) {
      if (byte >= limit) continue;
      out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}
