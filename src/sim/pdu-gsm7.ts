/**
 * The simulator's own GSM 7-bit default alphabet (3GPP TS 23.038 §6.2.1) and its extension table
 * (§6.2.1.1), with septet packing (§6.1.2.1.1). Deliberately independent of src/pdu so that a bug in
 * the gateway's codec cannot become the simulator's truth.
 */

// 23.038 §6.2.1, code points 0x00–0x7F in order. 0x1B is the escape to the extension table.
const BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

// 23.038 §6.2.1.1: the characters reachable through ESC (0x1B) in the default extension table.
const EXTENSION: ReadonlyArray<readonly [number, string]> = [
  [0x0a, "\f"],
  [0x14, "^"],
  [0x28, "{"],
  [0x29, "}"],
  [0x2f, "\\"],
  [0x3c, "["],
  [0x3d, "~"],
  [0x3e, "]"],
  [0x40, "|"],
  [0x65, "€"],
];

const ESC = 0x1b;
const toBasic = new Map<string, number>();
for (let i = 0; i < BASIC.length; i++) {
  const ch = BASIC[i];
  if (ch !== undefined && i !== ESC) toBasic.set(ch, i);
}
const toExt = new Map<string, number>(EXTENSION.map(([code, ch]) => [ch, code]));
const fromExt = new Map<number, string>(EXTENSION);

/** Septets for `text`, or null when a character is outside the default alphabet + extension table. */
export function gsm7Septets(text: string): number[] | null {
  const out: number[] = [];
  for (const ch of text) {
    const b = toBasic.get(ch);
    if (b !== undefined) {
      out.push(b);
      continue;
    }
    const e = toExt.get(ch);
    if (e === undefined) return null;
    out.push(ESC, e);
  }
  return out;
}

/** Text for septets; an unknown extension code falls back to its basic character (23.038 §6.2.1.1 note). */
export function gsm7Text(septets: readonly number[]): string {
  let s = "";
  for (let i = 0; i < septets.length; i++) {
    const v = septets[i] ?? 0;
    if (v === ESC && i + 1 < septets.length) {
      const next = septets[++i] ?? 0;
      s += fromExt.get(next) ?? BASIC[next] ?? "";
    } else {
      s += BASIC[v] ?? "";
    }
  }
  return s;
}

/**
 * Packs septets LSB first (23.038 §6.1.2.1.1). `skipSeptets` leading zero septets reserve room for a
 * UDH: 23.040 §9.2.3.24 puts the fill bits between the header and the first character, which is the
 * same as aligning the text on a septet boundary after ceil(udhOctets*8/7) septets.
 */
export function packSeptets(septets: readonly number[], skipSeptets = 0): Uint8Array {
  const all = [...new Array<number>(skipSeptets).fill(0), ...septets];
  const out = new Uint8Array(Math.ceil((all.length * 7) / 8));
  let bit = 0;
  for (const v of all) {
    const byte = bit >> 3;
    const shift = bit & 7;
    out[byte] = (out[byte] ?? 0) | ((v << shift) & 0xff);
    if (shift > 1) out[byte + 1] = (out[byte + 1] ?? 0) | (v >> (8 - shift));
    bit += 7;
  }
  return out;
}

/** Unpacks `count` septets starting at septet `skipSeptets`. */
export function unpackSeptets(octets: Uint8Array, count: number, skipSeptets = 0): number[] {
  const out: number[] = [];
  for (let i = skipSeptets; i < count; i++) {
    const bit = i * 7;
    const byte = bit >> 3;
    const shift = bit & 7;
    let v = (octets[byte] ?? 0) >> shift;
    if (shift > 1) v |= (octets[byte + 1] ?? 0) << (8 - shift);
    out.push(v & 0x7f);
  }
  return out;
}
