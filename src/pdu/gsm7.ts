/**
 * GSM 7-bit alphabet: text ↔ septets (23.038 §6.2.1, §6.2.1.1, Annex A) and septet packing
 * (23.038 §6.1.2.1.1; fill bits after a UDH per 23.040 §9.2.3.24).
 *
 * Encoding uses a 64K lookup table per table pair so that the hot loop is one array read per
 * UTF-16 code unit: value < 0x80 is a septet, 0x100 | code an escape pair, -1 not encodable.
 */

import { CR, ESC, type LanguageId, LOCKING_TABLES, SINGLE_SHIFT_TABLES } from "./gsm7-tables.js";
import { codesToString } from "./ucs2.js";

const encodeTables = new Map<number, Int16Array>();

let defaultTable: Int16Array | null = null;

export function encodeTable(locking: LanguageId = 0, single: LanguageId = 0): Int16Array {
  if (locking === 0 && single === 0 && defaultTable) return defaultTable;
  const key = locking * 16 + single;
  let table = encodeTables.get(key);
  if (table) return table;
  table = new Int16Array(65536).fill(-1);
  const shift = SINGLE_SHIFT_TABLES[single]!;
  for (const [code, ch] of Object.entries(shift)) table[ch.charCodeAt(0)] = 0x100 | Number(code);
  // Locking entries win: one septet instead of two when a character is in both tables.
  const lock = LOCKING_TABLES[locking]!;
  for (let code = 0; code < 128; code++) if (code !== ESC) table[lock.charCodeAt(code)] = code;
  encodeTables.set(key, table);
  if (key === 0) defaultTable = table;
  return table;
}

/** Septets needed for `text`, or -1 when a character is not in the tables. */
export function countSeptets(text: string, table: Int16Array): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const v = table[text.charCodeAt(i)]!;
    if (v < 0) return -1;
    n += v > 0xff ? 2 : 1;
  }
  return n;
}

let encodeScratch = new Uint8Array(1024);

/**
 * Text → septets written into a shared scratch buffer; returns the septet count, or -1 when a
 * character is not encodable with this table pair. The buffer (`septetBuffer()`) is valid until
 * the next call: encoding is synchronous, so the encoder consumes it before anyone else runs.
 */
export function encodeSeptetsShared(text: string, table: Int16Array): number {
  if (encodeScratch.length < text.length * 2) encodeScratch = new Uint8Array(text.length * 2);
  const out = encodeScratch;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const v = table[text.charCodeAt(i)]!;
    if (v < 0) return -1;
    if (v > 0xff) {
      out[o++] = ESC;
      out[o++] = v & 0x7f;
    } else out[o++] = v;
  }
  return o;
}

export function septetBuffer(): Uint8Array {
  return encodeScratch;
}

/** Text → septets in a new array; null when a character is not encodable. */
export function encodeSeptets(text: string, table: Int16Array): Uint8Array | null {
  const n = encodeSeptetsShared(text, table);
  return n < 0 ? null : encodeScratch.slice(0, n);
}

/** Distinct characters (whole code points) that the table pair cannot encode, in order. */
export function unencodable(text: string, table: Int16Array): string[] {
  const seen = new Set<string>();
  for (const ch of text) {
    if (ch.length > 1 || table[ch.charCodeAt(0)]! < 0) seen.add(ch);
  }
  return [...seen];
}

interface DecodeTables {
  readonly lock: Uint16Array;
  /** Single shift code → UTF-16 unit; the locking table character where the code is undefined. */
  readonly shift: Uint16Array;
}

const decodeTables = new Map<number, DecodeTables>();

function decodeTablesFor(locking: LanguageId, single: LanguageId): DecodeTables {
  const key = locking * 16 + single;
  let t = decodeTables.get(key);
  if (t) return t;
  const lockText = LOCKING_TABLES[locking]!;
  const lock = new Uint16Array(128);
  for (let i = 0; i < 128; i++) lock[i] = lockText.charCodeAt(i);
  // 23.038 §6.2.1.1: an extension code with no character shows the locking table character.
  const shift = lock.slice();
  for (const [code, ch] of Object.entries(SINGLE_SHIFT_TABLES[single]!))
    shift[Number(code)] = ch.charCodeAt(0);
  // ESC ESC is reserved for a further extension table: shown as a space.
  shift[ESC] = 0x20;
  t = { lock, shift };
  decodeTables.set(key, t);
  return t;
}

/** The 16-bit scratch view is read back as UTF-16LE bytes, which matches only on LE hosts. */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const septetScratch = new Uint8Array(512);
const codeBuf = Buffer.allocUnsafe(1024);
const codeScratch = new Uint16Array(codeBuf.buffer, codeBuf.byteOffset, 512);

/**
 * Packed user data → text in one pass over scratch buffers (the hot path of decoding): unpack
 * `count` septets after `fillBits`, keep the first `keep(septets, count)` of them, map them through
 * the tables. GSM-7 tables hold no surrogates, so the native UTF-16 decoder is lossless here.
 */
export function decodePacked(
  buf: Uint8Array,
  offset: number,
  fillBits: number,
  count: number,
  locking: LanguageId,
  single: LanguageId,
  keep: (septets: Uint8Array, count: number) => number,
): string {
  const s = count <= septetScratch.length ? septetScratch : new Uint8Array(count);
  let bitPos = fillBits;
  let o = offset;
  for (let i = 0; i < count; i++) {
    const lo = buf[o]!;
    const hi = bitPos > 1 ? buf[o + 1]! : 0;
    s[i] = (((hi << 8) | lo) >> bitPos) & 0x7f;
    bitPos += 7;
    if (bitPos >= 8) {
      bitPos -= 8;
      o++;
    }
  }
  const n = keep(s, count);
  const { lock, shift } = decodeTablesFor(locking, single);
  if (n > codeScratch.length) return decodeSeptets(s.subarray(0, n), locking, single);
  const codes = codeScratch;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const c = s[i]!;
    if (c !== ESC) codes[k++] = lock[c]!;
    else if (i + 1 < n) codes[k++] = shift[s[++i]!]!;
    else codes[k++] = 0x20;
  }
  return LITTLE_ENDIAN ? codeBuf.toString("utf16le", 0, k * 2) : codesToString(codes.subarray(0, k));
}

/** Septets → text. A trailing lone ESC is shown as a space, like a reserved extension code. */
export function decodeSeptets(septets: Uint8Array, locking: LanguageId = 0, single: LanguageId = 0): string {
  const { lock, shift } = decodeTablesFor(locking, single);
  const codes = new Uint16Array(septets.length);
  let n = 0;
  for (let i = 0; i < septets.length; i++) {
    const s = septets[i]!;
    if (s !== ESC) codes[n++] = lock[s]!;
    else if (i + 1 < septets.length) codes[n++] = shift[septets[++i]!]!;
    else codes[n++] = 0x20;
  }
  return codesToString(codes.subarray(0, n));
}

/**
 * Packs `count` septets into `out` starting at `offset`, after `fillBits` zero bits (23.040
 * §9.2.3.24: UD starts on a septet boundary after the UDH). 23.038 §6.1.2.3.1: when the last octet
 * would carry 7 spare bits they hold CR rather than zeros, so that a receiver deriving the length
 * from the octet count reads CR instead of a spurious "@". TP-UDL still counts only the text.
 * Returns the number of octets written.
 */
export function packSeptets(
  septets: Uint8Array,
  start: number,
  count: number,
  fillBits: number,
  out: Uint8Array,
  offset: number,
): number {
  let acc = 0;
  let bits = fillBits;
  let o = offset;
  for (let i = start; i < start + count; i++) {
    acc |= septets[i]! << bits;
    bits += 7;
    if (bits >= 8) {
      out[o++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) {
    if (bits === 1) acc |= CR << 1;
    out[o++] = acc & 0xff;
  }
  return o - offset;
}

/** Reads `count` septets starting `fillBits` bits into `buf[offset]`; the caller checks bounds. */
export function unpackSeptets(buf: Uint8Array, offset: number, fillBits: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  let bitPos = fillBits;
  let o = offset;
  for (let i = 0; i < count; i++) {
    const lo = buf[o]!;
    const hi = bitPos > 1 ? buf[o + 1]! : 0;
    out[i] = (((hi << 8) | lo) >> bitPos) & 0x7f;
    bitPos += 7;
    if (bitPos >= 8) {
      bitPos -= 8;
      o++;
    }
  }
  return out;
}

/** Octets that `count` septets occupy after `fillBits` fill bits. */
export function packedLength(count: number, fillBits: number): number {
  return Math.ceil((fillBits + count * 7) / 8);
}
