/**
 * User data header (23.040 §9.2.3.24): UDHL, then information elements {IEI, length, data}.
 * Concatenation uses IEI 0x00 (8-bit reference) or 0x08 (16-bit reference); national language
 * single and locking shifts use IEI 0x24 and 0x25 (§9.2.3.24.15, §9.2.3.24.16).
 */

import type { LanguageId } from "./gsm7-tables.js";
import { toHex } from "./hex.js";
import type { Reader } from "./reader.js";
import type { Concat } from "./types.js";

export const IEI_CONCAT_8 = 0x00;
export const IEI_CONCAT_16 = 0x08;
export const IEI_SINGLE_SHIFT = 0x24;
export const IEI_LOCKING_SHIFT = 0x25;

export interface ParsedUdh {
  readonly ies: { iei: number; data: string }[];
  readonly concat: Concat | null;
  readonly single: LanguageId;
  readonly locking: LanguageId;
}

/** National language ids this codec has tables for; others fall back to the default alphabet. */
function languageId(id: number | undefined): LanguageId {
  return id === 1 || id === 2 || id === 3 ? id : 0;
}

/** Parses the UDH at r.pos (UDHL included); `end` is the end of the user data. */
export function readUdh(r: Reader, end: number, field: string): ParsedUdh {
  const udhlOffset = r.pos;
  const udhl = r.u8(`${field}.udhl`);
  if (r.pos + udhl > end) {
    r.fail(`${field}.udhl`, `header length ${udhl} overruns the user data`, udhlOffset);
  }
  const stop = r.pos + udhl;
  const ies: { iei: number; data: string }[] = [];
  let concat: Concat | null = null;
  let single: LanguageId = 0;
  let locking: LanguageId = 0;
  while (r.pos < stop) {
    const ieOffset = r.pos;
    const iei = r.u8(`${field}.ie.iei`);
    if (r.pos >= stop) r.fail(`${field}.ie.length`, "information element length missing", r.pos);
    const len = r.u8(`${field}.ie.length`);
    if (r.pos + len > stop)
      r.fail(`${field}.ie`, `element 0x${iei.toString(16)} overruns the header`, ieOffset);
    const d = r.pos;
    const b = r.buf;
    r.pos += len;
    ies.push({ iei, data: toHex(b, d, d + len) });
    if (iei === IEI_CONCAT_8 && len === 3) concat = validConcat(b[d]!, b[d + 1]!, b[d + 2]!, 8);
    else if (iei === IEI_CONCAT_16 && len === 4) {
      concat = validConcat((b[d]! << 8) | b[d + 1]!, b[d + 2]!, b[d + 3]!, 16);
    } else if (iei === IEI_SINGLE_SHIFT && len === 1) single = languageId(b[d]);
    else if (iei === IEI_LOCKING_SHIFT && len === 1) locking = languageId(b[d]);
  }
  return { ies, concat, single, locking };
}

/** §9.2.3.24.1: a zero count or a sequence number outside 1…total makes the element void. */
function validConcat(ref: number, total: number, seq: number, refBits: 8 | 16): Concat | null {
  if (total === 0 || seq === 0 || seq > total) return null;
  return { ref, total, seq, refBits };
}

export interface UdhSpec {
  readonly concat?: { ref: number; total: number; seq: number; refBits: 8 | 16 } | undefined;
  readonly single?: LanguageId | undefined;
  readonly locking?: LanguageId | undefined;
}

/** UDH octets (UDHL included) for this spec; 0 when no element is needed. */
export function udhLength(spec: UdhSpec): number {
  let n = 0;
  if (spec.concat) n += spec.concat.refBits === 16 ? 6 : 5;
  if (spec.single) n += 3;
  if (spec.locking) n += 3;
  return n === 0 ? 0 : n + 1;
}

export function writeUdh(spec: UdhSpec, out: Uint8Array, offset: number): number {
  const len = udhLength(spec);
  if (len === 0) return 0;
  let o = offset;
  out[o++] = len - 1;
  const c = spec.concat;
  if (c) {
    if (c.refBits === 16) {
      out[o++] = IEI_CONCAT_16;
      out[o++] = 4;
      out[o++] = c.ref >> 8;
      out[o++] = c.ref & 0xff;
    } else {
      out[o++] = IEI_CONCAT_8;
      out[o++] = 3;
      out[o++] = c.ref;
    }
    out[o++] = c.total;
    out[o++] = c.seq;
  }
  if (spec.single) {
    out[o++] = IEI_SINGLE_SHIFT;
    out[o++] = 1;
    out[o++] = spec.single;
  }
  if (spec.locking) {
    out[o++] = IEI_LOCKING_SHIFT;
    out[o++] = 1;
    out[o++] = spec.locking;
  }
  return o - offset;
}
