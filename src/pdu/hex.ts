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

export function toHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  if (end - start > 16) {
    // Native hex formatting is several times faster than a JS loop on part-sized buffers.
    return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start)
      .toString("hex")
      .toUpperCase();
  }
  let out = "";
  for (let i = start; i < end; i++) out += OCTET_HEX[bytes[i]!]!;
  return out;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * Parses hex in either case; whitespace anywhere is ignored (modems and logs wrap long PDUs).
 * Offsets in errors count octets of the cleaned input, the unit every other field uses.
 */
export function fromHex(text: string): Uint8Array {
  let digits = 0;
  for (let i = 0; i < text.length; i++) if (!isSpace(text.charCodeAt(i))) digits++;
  if (digits % 2 !== 0) throw new PduDecodeError("pdu", digits >> 1, "odd number of hex digits");
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
  return out;
}
