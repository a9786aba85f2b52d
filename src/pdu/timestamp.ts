/**
 * Service centre time stamps (23.040 §9.2.3.11): seven swapped-BCD octets year, month, day, hour,
 * minute, second, zone. The zone counts quarter hours; bit 3 of its first (swapped) digit is the
 * sign. The result keeps the PDU's own offset rather than converting to UTC.
 */

import { PduEncodeError } from "./errors.js";
import type { Reader } from "./reader.js";
import { bcd, toBcd } from "./semi-octet.js";
import type { Timestamp } from "./types.js";

const NAMES = ["year", "month", "day", "hour", "minute", "second"] as const;
const MAX = [99, 12, 31, 23, 59, 59] as const;
const MIN = [0, 1, 1, 0, 0, 0] as const;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

export function readTimestamp(r: Reader, field: string): Timestamp {
  const start = r.take(7, field);
  const octets = r.buf;
  const v: number[] = [];
  for (let i = 0; i < 6; i++) {
    const n = bcd(octets[start + i]!);
    if (n < 0)
      r.fail(`${field}.${NAMES[i]}`, `invalid BCD octet 0x${octets[start + i]!.toString(16)}`, start + i);
    if (n < MIN[i]! || n > MAX[i]!)
      r.fail(`${field}.${NAMES[i]}`, `${NAMES[i]} ${n} out of range`, start + i);
    v.push(n);
  }
  const tz = octets[start + 6]!;
  const units = tz >> 4;
  if (units > 9) r.fail(`${field}.zone`, `invalid BCD octet 0x${tz.toString(16)}`, start + 6);
  const quarters = (tz & 0x07) * 10 + units;
  const offsetMinutes = (tz & 0x08 ? -quarters : quarters) * 15;
  const yy = v[0]!;
  // Two-digit years: 90–99 are 1990s, everything else 20xx.
  const year = yy >= 90 ? 1900 + yy : 2000 + yy;
  const iso = `${year}-${pad2(v[1]!)}-${pad2(v[2]!)}T${pad2(v[3]!)}:${pad2(v[4]!)}:${pad2(v[5]!)}${formatOffset(offsetMinutes)}`;
  return { iso, offsetMinutes: offsetMinutes === 0 ? 0 : offsetMinutes };
}

/** Writes `date` as local time in the zone `offsetMinutes` (a multiple of 15). */
export function writeTimestamp(
  date: Date,
  offsetMinutes: number,
  out: Uint8Array,
  offset: number,
  field: string,
) {
  const t = date.getTime();
  if (!Number.isFinite(t)) throw new PduEncodeError(field, "invalid date");
  if (!Number.isInteger(offsetMinutes) || offsetMinutes % 15 !== 0 || Math.abs(offsetMinutes) > 79 * 15) {
    throw new PduEncodeError(field, "zone offset must be a multiple of 15 minutes within ±19:45");
  }
  const local = new Date(t + offsetMinutes * 60_000);
  const year = local.getUTCFullYear();
  if (year < 1990 || year > 2089) throw new PduEncodeError(field, `year ${year} not representable`);
  const fields = [
    year % 100,
    local.getUTCMonth() + 1,
    local.getUTCDate(),
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
  ];
  for (let i = 0; i < 6; i++) out[offset + i] = toBcd(fields[i]!);
  const q = Math.abs(offsetMinutes) / 15;
  out[offset + 6] = toBcd(q) | (offsetMinutes < 0 ? 0x08 : 0);
}
