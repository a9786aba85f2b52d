/**
 * Addresses (23.040 §9.1.2.5) and the SMSC field (24.011 §8.2.5.1 via 27.005 §3.3).
 *
 * Encoding rule, chosen to match what modems do and to never guess: a number written with a
 * leading "+" is international (TOA 0x91); anything else goes out exactly as written with TOA 0x81
 * (unknown type of number, ISDN plan), so the network applies its own dialling rules. A leading
 * or embedded "00" is never reinterpreted as an international prefix. Formatting characters
 * (spaces, dots, dashes, parentheses, slashes) are stripped.
 */

import { PduEncodeError } from "./errors.js";
import { decodeSeptets, unpackSeptets } from "./gsm7.js";
import type { Reader } from "./reader.js";
import { decodeSemiOctets, digitNibble, encodeSemiOctets } from "./semi-octet.js";
import type { Address } from "./types.js";

const TON_NAMES: readonly Address["type"][] = [
  "unknown",
  "international",
  "national",
  "network-specific",
  "subscriber",
  "alphanumeric",
  "abbreviated",
  "reserved",
];

export const TOA_INTERNATIONAL = 0x91;
export const TOA_UNKNOWN = 0x81;
const FORMATTING = " \t.-()/";
/** 23.040 §9.1.2.5: at most 20 digits (10 octets of semi-octets). */
const MAX_DIGITS = 20;

export interface ParsedNumber {
  readonly digits: string;
  readonly toa: number;
}

export function parseNumber(input: string, field: string): ParsedNumber {
  const s = input.trim();
  let toa = TOA_UNKNOWN;
  let i = 0;
  if (s.charCodeAt(0) === 0x2b) {
    toa = TOA_INTERNATIONAL;
    i = 1;
  }
  let digits = "";
  let from = i;
  let letters = false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) continue;
    if (FORMATTING.includes(s[i]!)) {
      digits += s.slice(from, i);
      from = i + 1;
      continue;
    }
    if (digitNibble(s[i]!) < 0) {
      throw new PduEncodeError(field, `invalid character ${JSON.stringify(s[i])} in number`);
    }
    letters = true;
  }
  digits = from === 0 && digits === "" ? s : digits + s.slice(from);
  if (letters) digits = digits.toLowerCase();
  if (digits.length === 0) throw new PduEncodeError(field, "number has no digits");
  if (digits.length > MAX_DIGITS) {
    throw new PduEncodeError(field, `number has ${digits.length} digits, at most ${MAX_DIGITS}`);
  }
  return { digits, toa };
}

/** TP-DA: length in digits, type of address, semi-octets. Returns octets written. */
export function writeTpAddress(n: ParsedNumber, out: Uint8Array, offset: number): number {
  out[offset] = n.digits.length;
  out[offset + 1] = n.toa;
  return 2 + encodeSemiOctets(n.digits, out, offset + 2);
}

/** SMSC field: length in octets (type of address included); "00" when absent. */
export function writeSmsc(n: ParsedNumber | null, out: Uint8Array, offset: number): number {
  if (!n) {
    out[offset] = 0;
    return 1;
  }
  const len = encodeSemiOctets(n.digits, out, offset + 2);
  out[offset] = len + 1;
  out[offset + 1] = n.toa;
  return len + 2;
}

function toAddress(toa: number, digits: string): Address {
  const type = TON_NAMES[(toa >> 4) & 7]!;
  return { number: type === "international" ? `+${digits}` : digits, type, toa };
}

/** TP-OA / TP-DA / TP-RA: the length counts semi-octets (useful ones, filler excluded). */
export function readTpAddress(r: Reader, field: string): Address {
  const lenOffset = r.pos;
  const len = r.u8(`${field}.length`);
  if (len > MAX_DIGITS)
    r.fail(`${field}.length`, `address length ${len} exceeds ${MAX_DIGITS} digits`, lenOffset);
  const toa = r.u8(`${field}.toa`);
  const at = r.take((len + 1) >> 1, `${field}.digits`);
  if (((toa >> 4) & 7) === 5) {
    // 23.040 §9.1.2.5: alphanumeric, GSM 7-bit packed, the length still counts semi-octets.
    const septets = unpackSeptets(r.buf, at, 0, Math.floor((len * 4) / 7));
    return { number: decodeSeptets(septets), type: "alphanumeric", toa };
  }
  return toAddress(toa, decodeSemiOctets(r.buf, at, len, `${field}.digits`));
}

/** SMSC field as returned by +CMGR/+CMGL/+CMT: null when its length octet is 0. */
export function readSmsc(r: Reader, field: string): Address | null {
  const lenOffset = r.pos;
  const len = r.u8(`${field}.length`);
  if (len === 0) return null;
  if (len > 11) r.fail(`${field}.length`, `SMSC length ${len} exceeds 11 octets`, lenOffset);
  const toa = r.u8(`${field}.toa`);
  const at = r.take(len - 1, `${field}.digits`);
  let count = (len - 1) * 2;
  if (count > 0 && r.buf[at + len - 2]! >> 4 === 0xf) count--;
  // "01 81": a type of address with no digits, which some stacks write for "no SMSC".
  if (count === 0) return null;
  return toAddress(toa, decodeSemiOctets(r.buf, at, count, `${field}.digits`));
}
