/**
 * Deterministic inputs for the differential tests: a seeded PRNG (mulberry32), so a failure names
 * a case index that reproduces on every machine. The alphabet mixes what breaks SMS codecs in the
 * field: GSM-7 extension characters (escape + char, 23.038 §6.2.1.1), '@' (septet 0x00) at the
 * edges, French accents inside and outside the default alphabet, and astral emoji (surrogate pairs).
 */

export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
export const int = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));

const WORDS = ["Bonjour", "rdv", "demain", "à", "10h", "merci", "OK", "livraison", "42", "Hello", "+33"];
const BASIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?'\"()-_/*+=%&#<>$£¥\n";
/** In the GSM-7 default table (23.038 §6.2.1): stay 7-bit. */
const ACCENTS_GSM = ["é", "è", "à", "ù", "É", "ì", "ò", "Ç", "ñ", "ü", "Ä", "ß"];
/** Not in the default table: force UCS-2 (unless smart replacement applies). */
const ACCENTS_UCS2 = ["ç", "ê", "â", "ô", "û", "œ", "î", "ë", "ï", "Œ"];
const EXTENSION = ["€", "{", "}", "[", "]", "~", "\\", "|", "^"];
const EMOJI = ["😀", "👍", "🎉", "❤️", "👍🏽", "🇫🇷", "☕"];

export type Flavour = "gsm7" | "gsm7-ext" | "accents" | "ucs2" | "emoji";

/** A text of the given flavour, roughly `len` characters, with '@' placed at start/middle/end. */
export function makeText(rng: Rng, flavour: Flavour, len: number): string {
  const out: string[] = [];
  while (out.join("").length < len) {
    const r = rng();
    if (r < 0.35) out.push(pick(rng, WORDS), " ");
    else if (r < 0.7) out.push(pick(rng, [...BASIC]));
    else if (flavour !== "gsm7" && r < 0.8) out.push(pick(rng, EXTENSION));
    else if (flavour !== "gsm7" && flavour !== "gsm7-ext" && r < 0.88) out.push(pick(rng, ACCENTS_GSM));
    else if ((flavour === "ucs2" || flavour === "accents") && r < 0.93) out.push(pick(rng, ACCENTS_UCS2));
    else if (flavour === "emoji" && r < 0.95) out.push(pick(rng, EMOJI));
    else out.push(pick(rng, [...BASIC]));
  }
  let text = out.join("").slice(0, Math.max(1, len));
  // Never cut a surrogate pair in the middle: a lone surrogate is not valid text to send.
  if (/[\uD800-\uDBFF]$/.test(text)) text = text.slice(0, -1);
  const at = rng();
  if (at < 0.15) text = `@${text}`;
  else if (at < 0.3) text = `${text}@`;
  else if (at < 0.4) text = `${text.slice(0, text.length >> 1)}@${text.slice(text.length >> 1)}`;
  return text || "@";
}

/** Lengths around the single/multi-part boundaries of every coding (160/153, 70/67, 140/134). */
export function makeLength(rng: Rng): number {
  const r = rng();
  if (r < 0.3) return int(rng, 1, 40);
  if (r < 0.5) return pick(rng, [66, 67, 69, 70, 71, 133, 134, 135, 152, 153, 154, 159, 160, 161]);
  if (r < 0.85) return int(rng, 41, 330);
  return int(rng, 331, 900);
}

export function makeNumber(rng: Rng): string {
  const r = rng();
  const digits = (n: number) => Array.from({ length: n }, () => String(int(rng, 0, 9))).join("");
  if (r < 0.55) return `+33${pick(rng, ["6", "7"])}${digits(8)}`;
  if (r < 0.7) return `+${int(rng, 1, 9)}${digits(int(rng, 6, 13))}`; // odd and even digit counts
  if (r < 0.9) return `0${pick(rng, ["6", "7"])}${digits(8)}`;
  // Short codes start 1-9: Gammu's encoder reads a leading "00" as the international prefix (a
  // dialling-plan guess 23.040 §9.1.2.5 does not make; ours keeps the digits as typed).
  return `${int(rng, 1, 9)}${digits(int(rng, 2, 5))}`;
}

/** Relative validities in seconds: each band of 23.040 §9.2.3.12.1 and its edges. */
export const VALIDITY_SECONDS = [
  300, 301, 3600, 43_200, 43_201, 45_000, 86_400, 86_401, 172_800, 2_592_000, 2_592_001, 3_000_000,
  38_102_400,
];

/** The TP-VP octet for a relative validity, rounded up to the next step (23.040 §9.2.3.12.1). */
export function relativeOctet(seconds: number): number {
  const up = (x: number, step: number) => Math.ceil(x / step);
  if (seconds <= 43_200) return Math.max(0, up(seconds, 300) - 1);
  if (seconds <= 86_400) return 143 + up(seconds - 43_200, 1_800);
  if (seconds <= 30 * 86_400) return 166 + up(seconds, 86_400);
  return Math.min(255, 192 + up(seconds, 604_800));
}

/** Seconds a TP-VP relative octet stands for (23.040 §9.2.3.12.1). */
export function octetSeconds(vp: number): number {
  if (vp <= 143) return (vp + 1) * 300;
  if (vp <= 167) return 43_200 + (vp - 143) * 1_800;
  if (vp <= 196) return (vp - 166) * 86_400;
  return (vp - 192) * 604_800;
}

/** How python-gammu prints a relative TP-VP octet (its SMSValidityToString). */
export function gammuValidityString(vp: number): string {
  if (vp === 255) return "Max";
  if (vp <= 143) return `${5 * (vp + 1)}M`;
  if (vp <= 167) return `${720 + 30 * (vp - 143)}M`;
  if (vp <= 196) return `${vp - 166}D`;
  return `${vp - 192}W`;
}

/** Semi-octet time stamp (23.040 §9.2.3.11), written by hand here so the test does not trust the codec. */
export function scts(parts: {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  tzq: number;
}): string {
  const swap = (n: number) => {
    const s = String(n).padStart(2, "0");
    return `${s[1]}${s[0]}`;
  };
  const tz = Math.abs(parts.tzq);
  const tzHex = (((tz % 10) << 4) | Math.floor(tz / 10) | (parts.tzq < 0 ? 0x08 : 0))
    .toString(16)
    .padStart(2, "0");
  return (
    [parts.y % 100, parts.mo, parts.d, parts.h, parts.mi, parts.s].map(swap).join("") + tzHex.toUpperCase()
  );
}

/** Semi-octet address field with its length in digits and TOA (23.040 §9.1.2.5). */
export function address(number: string): string {
  const intl = number.startsWith("+");
  const digits = intl ? number.slice(1) : number;
  const padded = digits.length % 2 ? `${digits}F` : digits;
  let swapped = "";
  for (let i = 0; i < padded.length; i += 2) swapped += `${padded[i + 1]}${padded[i]}`;
  return digits.length.toString(16).padStart(2, "0") + (intl ? "91" : "81") + swapped;
}

export const hex2 = (n: number): string => n.toString(16).padStart(2, "0").toUpperCase();

/** The TP-ST values 23.040 §9.2.3.15 defines (reserved ranges left out). */
export const STATUS_VALUES = [
  0x00, 0x01, 0x02, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
  0x49, 0x60, 0x61, 0x62, 0x63, 0x64, 0x65,
];

/** Packs septets LSB first into octets (23.038 §6.1.2.1.1), with no fill bits; hex out. */
export function packSeptetsHex(septets: readonly number[]): string {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const s of septets) {
    acc |= (s & 0x7f) << bits;
    bits += 7;
    while (bits >= 8) {
      out.push(acc & 0xff);
      acc >>>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) out.push(acc & 0xff);
  return out.map(hex2).join("");
}

/** Codes of the GSM-7 extension table (23.038 §6.2.1.1) reachable after ESC (0x1B). */
export const EXTENSION_CODES = [0x0a, 0x14, 0x28, 0x29, 0x2f, 0x3c, 0x3d, 0x3e, 0x40, 0x65];

/** Random septets: any default-alphabet code but a bare ESC; escapes only before a defined code. */
export function makeSeptets(rng: Rng, count: number): number[] {
  const out: number[] = [];
  while (out.length < count) {
    if (count - out.length >= 2 && rng() < 0.08) out.push(0x1b, pick(rng, EXTENSION_CODES));
    else {
      const s = int(rng, 0, 0x7f);
      if (s !== 0x1b) out.push(s);
    }
  }
  return out;
}
