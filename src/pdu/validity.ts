/**
 * TP-Validity-Period (23.040 §9.2.3.12): relative (one octet), absolute (a time stamp) and
 * enhanced (seven octets). Relative values round UP to the next representable step so a message
 * never expires earlier than asked, and clamp at the format maximum of 63 weeks.
 */

import { PduEncodeError } from "./errors.js";
import type { Reader } from "./reader.js";
import { bcd, toBcd } from "./semi-octet.js";
import { readTimestamp, writeTimestamp } from "./timestamp.js";
import type { Validity } from "./types.js";

/** TP-VPF values of the first octet, bits 4–3. */
export const VPF_NONE = 0;
export const VPF_ENHANCED = 1;
export const VPF_RELATIVE = 2;
export const VPF_ABSOLUTE = 3;

const MIN = 60;
const DAY = 86_400;
const WEEK = 7 * DAY;

/** §9.2.3.12.1: seconds → TP-VP octet, rounded up, clamped to 255 (63 weeks). */
export function relativeOctet(seconds: number, field = "validity"): number {
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new PduEncodeError(field, "validity must be > 0 seconds");
  const minutes = Math.ceil(seconds / MIN);
  if (minutes <= 720) return Math.max(0, Math.ceil(minutes / 5) - 1);
  if (minutes <= 1440) return 143 + Math.ceil((minutes - 720) / 30);
  const days = Math.ceil(seconds / DAY);
  if (days <= 30) return 166 + days;
  return Math.min(255, 192 + Math.ceil(seconds / WEEK));
}

/** §9.2.3.12.1: TP-VP octet → seconds. */
export function relativeSeconds(vp: number): number {
  if (vp <= 143) return (vp + 1) * 5 * MIN;
  if (vp <= 167) return 12 * 3600 + (vp - 143) * 30 * MIN;
  if (vp <= 196) return (vp - 166) * DAY;
  return (vp - 192) * WEEK;
}

/** Octets of the VP field for a TP-VPF value. */
export function validityLength(vpf: number): number {
  return vpf === VPF_NONE ? 0 : vpf === VPF_RELATIVE ? 1 : 7;
}

export function validityFormat(v: Validity | undefined): number {
  if (!v) return VPF_NONE;
  return v.format === "relative" ? VPF_RELATIVE : v.format === "absolute" ? VPF_ABSOLUTE : VPF_ENHANCED;
}

/** Writes the VP field (the caller sized it with validityLength); returns octets written. */
export function writeValidity(v: Validity | undefined, out: Uint8Array, offset: number): number {
  if (!v) return 0;
  if (v.format === "relative") {
    out[offset] = relativeOctet(v.seconds);
    return 1;
  }
  if (v.format === "absolute") {
    writeTimestamp(v.date, v.offsetMinutes, out, offset, "validity.date");
    return 7;
  }
  writeEnhanced(v.seconds, out, offset);
  return 7;
}

/**
 * §9.2.3.12.3: octet 1 is the functionality indicator (bits 2–0: 001 relative octet, 010 relative
 * integer seconds 0–255, 011 relative HH:MM:SS in semi-octets); unused octets are zero.
 */
function writeEnhanced(seconds: number, out: Uint8Array, offset: number): void {
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new PduEncodeError("validity.seconds", "validity must be > 0 seconds");
  }
  out.fill(0, offset, offset + 7);
  const s = Math.ceil(seconds);
  if (s <= 255) {
    out[offset] = 0x02;
    out[offset + 1] = s;
  } else if (s < 100 * 3600) {
    out[offset] = 0x03;
    out[offset + 1] = toBcd(Math.floor(s / 3600));
    out[offset + 2] = toBcd(Math.floor((s % 3600) / 60));
    out[offset + 3] = toBcd(s % 60);
  } else {
    out[offset] = 0x01;
    out[offset + 1] = relativeOctet(s, "validity.seconds");
  }
}

export function readValidity(r: Reader, vpf: number, field: string): Validity | null {
  if (vpf === VPF_NONE) return null;
  if (vpf === VPF_RELATIVE) return { format: "relative", seconds: relativeSeconds(r.u8(field)) };
  if (vpf === VPF_ABSOLUTE) {
    const ts = readTimestamp(r, field);
    return { format: "absolute", date: new Date(ts.iso), offsetMinutes: ts.offsetMinutes };
  }
  const start = r.take(7, field);
  const o = r.buf.subarray(start, start + 7);
  const fi = o[0]! & 0x07;
  if (fi === 0) return null;
  if (fi === 1) return { format: "enhanced", seconds: relativeSeconds(o[1]!) };
  if (fi === 2) return { format: "enhanced", seconds: o[1]! };
  if (fi === 3) {
    const h = bcd(o[1]!);
    const m = bcd(o[2]!);
    const s = bcd(o[3]!);
    if (h < 0 || m < 0 || s < 0) r.fail(`${field}.relative`, "invalid BCD in enhanced validity", start + 1);
    return { format: "enhanced", seconds: h * 3600 + m * 60 + s };
  }
  return r.fail(`${field}.indicator`, `reserved enhanced validity format ${fi}`, start);
}
