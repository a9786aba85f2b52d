/**
 * Semi-octets (23.040 §9.1.2.3): two digits per octet, least significant nibble first. Address
 * digits also use 1010 "*", 1011 "#", 1100 "a", 1101 "b", 1110 "c"; 1111 fills an odd count.
 */

import { PduDecodeError } from "./errors.js";

const DIGITS = "0123456789*#abc";

/** Digit character → nibble, -1 when not an address digit. */
export function digitNibble(ch: string): number {
  return DIGITS.indexOf(ch.toLowerCase());
}

function nibbleAt(digits: string, i: number): number {
  const c = digits.charCodeAt(i);
  return c >= 0x30 && c <= 0x39 ? c - 0x30 : DIGITS.indexOf(digits[i]!);
}

/** Writes the digits as swapped semi-octets with an F filler; returns the octets written. */
export function encodeSemiOctets(digits: string, out: Uint8Array, offset: number): number {
  const n = (digits.length + 1) >> 1;
  for (let i = 0; i < n; i++) {
    const lo = nibbleAt(digits, 2 * i);
    const hi = 2 * i + 1 < digits.length ? nibbleAt(digits, 2 * i + 1) : 0xf;
    out[offset + i] = (hi << 4) | lo;
  }
  return n;
}

/** Reads `count` address digits starting at the absolute `offset` of `buf`. */
export function decodeSemiOctets(buf: Uint8Array, offset: number, count: number, field: string): string {
  let out = "";
  for (let i = 0; i < count; i++) {
    const b = buf[offset + (i >> 1)]!;
    const nibble = i & 1 ? b >> 4 : b & 0xf;
    if (nibble === 0xf) {
      throw new PduDecodeError(field, offset + (i >> 1), "filler semi-octet inside the address digits");
    }
    out += DIGITS[nibble]!;
  }
  return out;
}

/** Swapped BCD octet → 0…99, or -1 when a nibble is not a decimal digit. */
export function bcd(b: number): number {
  const lo = b & 0xf;
  const hi = b >> 4;
  return lo > 9 || hi > 9 ? -1 : lo * 10 + hi;
}

/** 0…99 → swapped BCD octet. */
export function toBcd(n: number): number {
  return ((n % 10) << 4) | Math.floor(n / 10);
}
