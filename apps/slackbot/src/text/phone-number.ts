/**
 * Phone numbers as people type them and Slack sends them: `+1 (206) 555-0123`, `555-1234`, `555.1234`,
 * `<tel:5551234|555-1234>` (Slack's own link), full-width digits (`５５５１２３４`). The result is what a
 * dial string may hold: digits, a leading `+`, `*` and `#`.
 */

export const PHONE_NUMBER_HELP = "a phone number may hold digits, +, * and #, like 101, 555-1234 or +1 (206) 555-0123";

/** Characters people put in numbers for readability; they are dropped. */
const SEPARATORS = /[\s().\-\u2010-\u2015\u00a0/]/g;

/** The dialable form of `text`, or null when it is not a phone number. */
export function parsePhoneNumber(text: string): string | null {
  let value = text.trim();
  const link = /^<tel:([^|>]*)(?:\|[^>]*)?>$/i.exec(value);
  if (link) value = link[1]!;
  // NFKC turns full-width digits and signs (０-９, ＋, ＊, ＃) into ASCII.
  value = value.normalize("NFKC").replace(SEPARATORS, "");
  if (!/^\+?[0-9*#]{1,32}$/.test(value)) return null;
  return value;
}
