/**
 * Character tables of 3GPP TS 23.038: the GSM 7-bit default alphabet (§6.2.1), its extension
 * table (§6.2.1.1) and the national language tables we implement (Annex A): Turkish locking and
 * single shift (A.3.1, A.2.1), Spanish single shift (A.2.2; A.3.2 is void, Spanish locks to the
 * default alphabet), Portuguese locking and single shift (A.3.3, A.2.3).
 *
 * A locking table is a 128-character string indexed by septet; the ESC position (0x1B) holds
 * U+001B, which is never encoded from text. A single shift table lists only its defined codes.
 */

import type { NationalLanguage } from "./types.js";

/** National language identifier of 23.038 §6.2.1.2.4 (0 = default). */
export type LanguageId = 0 | 1 | 2 | 3;

export const LANGUAGE_IDS: Readonly<Record<NationalLanguage, LanguageId>> = {
  turkish: 1,
  spanish: 2,
  portuguese: 3,
};

export const ESC = 0x1b;
export const CR = 0x0d;

// 23.038 §6.2.1. Row by row: 0x00–0x0F, 0x10–0x1F, … 0x70–0x7F.
const DEFAULT_LOCKING =
  "@£$¥èéùìòÇ\nØø\rÅå" +
  "Δ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ" +
  " !\"#¤%&'()*+,-./" +
  "0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNO" +
  "PQRSTUVWXYZÄÖÑÜ§" +
  "¿abcdefghijklmno" +
  "pqrstuvwxyzäöñüà";

function patch(base: string, changes: Readonly<Record<number, string>>): string {
  const chars = base.split("");
  for (const [code, ch] of Object.entries(changes)) chars[Number(code)] = ch;
  return chars.join("");
}

// 23.038 A.3.1: the default alphabet with eight positions replaced.
const TURKISH_LOCKING = patch(DEFAULT_LOCKING, {
  4: "€",
  7: "ı",
  11: "Ğ",
  12: "ğ",
  28: "Ş",
  29: "ş",
  64: "İ",
  96: "ç",
});

// 23.038 A.3.3.
const PORTUGUESE_LOCKING =
  "@£$¥êéúíóç\nÔô\rÁá" +
  "Δ_ªÇÀ∞^\\€Ó|\u001bÂâÊÉ" +
  " !\"#º%&'()*+,-./" +
  "0123456789:;<=>?" +
  "ÍABCDEFGHIJKLMNO" +
  "PQRSTUVWXYZÃÕÚÜ§" +
  "~abcdefghijklmno" +
  "pqrstuvwxyzãõ`üà";

// 23.038 §6.2.1.1. 0x0A is the page break (form feed); 0x0D (CR2) and 0x1B are reserved.
const DEFAULT_SINGLE: Readonly<Record<number, string>> = {
  10: "\f",
  20: "^",
  40: "{",
  41: "}",
  47: "\\",
  60: "[",
  61: "~",
  62: "]",
  64: "|",
  101: "€",
};

// 23.038 A.2.1.
const TURKISH_SINGLE: Readonly<Record<number, string>> = {
  ...DEFAULT_SINGLE,
  71: "Ğ",
  73: "İ",
  83: "Ş",
  99: "ç",
  103: "ğ",
  105: "ı",
  115: "ş",
};

// 23.038 A.2.2.
const SPANISH_SINGLE: Readonly<Record<number, string>> = {
  ...DEFAULT_SINGLE,
  9: "ç",
  65: "Á",
  73: "Í",
  79: "Ó",
  85: "Ú",
  97: "á",
  105: "í",
  111: "ó",
  117: "ú",
};

// 23.038 A.2.3.
const PORTUGUESE_SINGLE: Readonly<Record<number, string>> = {
  ...DEFAULT_SINGLE,
  5: "ê",
  9: "ç",
  11: "Ô",
  12: "ô",
  14: "Á",
  15: "á",
  18: "Φ",
  19: "Γ",
  21: "Ω",
  22: "Π",
  23: "Ψ",
  24: "Σ",
  25: "Θ",
  31: "Ê",
  65: "À",
  73: "Í",
  79: "Ó",
  85: "Ú",
  91: "Ã",
  92: "Õ",
  97: "Â",
  105: "í",
  111: "ó",
  117: "ú",
  123: "ã",
  124: "õ",
  127: "â",
};

/** Locking tables by language id; Spanish has none (A.3.2 void) and uses the default alphabet. */
export const LOCKING_TABLES: readonly string[] = [
  DEFAULT_LOCKING,
  TURKISH_LOCKING,
  DEFAULT_LOCKING,
  PORTUGUESE_LOCKING,
];

export const SINGLE_SHIFT_TABLES: readonly Readonly<Record<number, string>>[] = [
  DEFAULT_SINGLE,
  TURKISH_SINGLE,
  SPANISH_SINGLE,
  PORTUGUESE_SINGLE,
];
