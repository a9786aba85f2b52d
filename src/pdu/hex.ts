import { PduDecodeError } from "./errors.js";

const HEX_DIGITS = "0123456789ABCDEF";
/** Octet → two upper-case hex digits, built once so that encoding never formats numbers. */
const OCTET_HEX: string[] = [];
for (let i = 0; i < 256; i++) OCTET_HEX.push(HEX_DIGITS[i >> 4]! + HEX_DIGITS[i & 15]!);

/** Hex digit char code → value, -1 when not a hex digit. */
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  NIBBLE[65 + i] = 10 + i;
  NIBBLE[97 + i] = 10 + i;
}

/** Octet → its two hex digits as one little-endian UTF-16 pair of ASCII codes. */
const HEX_PAIR = new Uint16Array(256);
for (let i = 0; i < 256; i++) HEX_PAIR[i] = OCTET_HEX[i]!.charCodeAt(0) | (OCTET_HEX[i]!.charCodeAt(1) << 8);
let hexScratch = new Uint16Array(512);
const latin1 = new TextDecoder("latin1");

export function toHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const n = end - start;
  if (n < 8) {
    let out = "";
    for (let i = start; i < end; i++) out += OCTET_HEX[bytes[i]!]!;
    return out;
  }
  // Table lookups into a scratch buffer and one native decode: no per-octet string building.
  if (hexScratch.length < n) hexScratch = new Uint16Array(n * 2);
  const pairs = hexScratch;
  for (let i = 0; i < n; i++) pairs[i] = HEX_PAIR[bytes[start + i]!]!;
  return latin1.decode(new Uint8Array(pairs.buffer, 0, n * 2));
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * Parses hex in either case; whitespace anywhere is ignored (modems and logs wrap long PDUs).
 * Offsets in errors count octets of the cleaned input, the unit every other field uses.
 */
export function fromHex(text: string): Uint8Array {
  // Fast path: plain even-length hex, decoded natively; anything else takes the checking path.
  if ((text.length & 1) === 0) {
    const b = Buffer.from(text, "hex");
    if (b.length * 2 === text.length) return new Uint8Array(b.buffer, b.byteOffset, b.length);
  }
  let digits = 0;
  for (let i = 0; i < text.length; i++) if (!isSpace(text.charCodeAt(i))) digits++;
  const out = new Uint8Array(digits >> 1);
  let hi = -1;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    const v = c < 128 ? NIBBLE[c]! : -1;
    if (v < 0) {
      throw new PduDecodeError("pdu", n, `invalid hex character ${JSON.stringify(text[i])}`);
    }
    if (hi < 0) hi = v;
    else {
      out[n++] = (hi << 4) | v;
      hi = -1;
    }
  }
  if (digits % 2 !== 0) throw new PduDecodeError("pdu", digits >> 1, "odd number of hex digits");
  return out;
}
