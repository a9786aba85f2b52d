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

/** The pair table below is laid out for little-endian hosts (x86, ARM as used by Node). */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
/** Octet → its two hex digits as one little-endian UTF-16 pair of ASCII codes. */
const HEX_PAIR = new Uint16Array(256);
for (let i = 0; i < 256; i++) HEX_PAIR[i] = OCTET_HEX[i]!.charCodeAt(0) | (OCTET_HEX[i]!.charCodeAt(1) << 8);
// One scratch buffer reused for every call: the pairs are written through a 16-bit view and the
// string is read with Buffer#toString, so no typed-array view is created per PDU.
let hexBuf = Buffer.allocUnsafe(1024);
let hexPairs = new Uint16Array(hexBuf.buffer, hexBuf.byteOffset, 512);

export function toHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const n = end - start;
  if (n < 8 || !LITTLE_ENDIAN) {
    let out = "";
    for (let i = start; i < end; i++) out += OCTET_HEX[bytes[i]!]!;
    return out;
  }
  if (hexPairs.length < n) {
    hexBuf = Buffer.alloc(n * 4);
    hexPairs = new Uint16Array(hexBuf.buffer, hexBuf.byteOffset, n * 2);
  }
  const pairs = hexPairs;
  for (let i = 0; i < n; i++) pairs[i] = HEX_PAIR[bytes[start + i]!]!;
  return hexBuf.toString("latin1", 0, n * 2);
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
