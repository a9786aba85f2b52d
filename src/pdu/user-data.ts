/**
 * TP-UDL + TP-UD decoding (23.040 §9.2.3.16, §9.2.3.24) for every TPDU type: UDH, fill bits,
 * the alphabet from the DCS, and the §6.1.2.3.1 CR padding of 23.038.
 */

import type { DcsInfo } from "./dcs.js";
import { decodePacked } from "./gsm7.js";
import { CR, ESC } from "./gsm7-tables.js";
import { toHex } from "./hex.js";
import type { Reader } from "./reader.js";
import type { Coding, Concat } from "./types.js";
import { decodeUcs2 } from "./ucs2.js";
import { readUdh } from "./udh.js";

export interface UserData {
  readonly coding: Coding;
  readonly text?: string;
  readonly dataHex?: string;
  readonly concat: Concat | null;
  readonly udh: readonly { readonly iei: number; readonly data: string }[];
}

/**
 * 23.038 §6.1.2.3.1, receiving side. A sender that pads 8n-1 septets with a counted CR leaves a
 * CR that ends exactly on an octet boundary: that CR is padding. A sender whose text really ends
 * with CR on a boundary adds a second CR (with one zero fill bit): the extra CR is dropped too.
 * Returns how many septets are text.
 */
export function stripPaddingCr(s: Uint8Array, n: number, totalBits: number): number {
  const last = n - 1;
  if (n >= 1 && s[last] === CR && !(n >= 2 && s[last - 1] === ESC)) {
    if (totalBits % 8 === 0) return n - 1;
    if (totalBits % 8 === 7 && n >= 2 && s[last - 1] === CR && !(n >= 3 && s[last - 2] === ESC)) return n - 1;
  }
  return n;
}

export function readUserData(r: Reader, udhi: boolean, dcs: DcsInfo, field: string): UserData {
  const udlOffset = r.pos;
  const udl = r.u8(`${field}.udl`);
  const { coding } = dcs;
  const max = coding === "gsm7" ? 160 : 140;
  if (udl > max) r.fail(`${field}.udl`, `user data length ${udl} exceeds ${max}`, udlOffset);
  const octets = coding === "gsm7" ? Math.ceil((udl * 7) / 8) : udl;
  const start = r.pos;
  if (octets > r.remaining) {
    r.fail(
      `${field}.ud`,
      `truncated: user data length ${udl} needs ${octets} octets, ${r.remaining} left`,
      start,
    );
  }
  const end = start + octets;
  let concat: Concat | null = null;
  let udh: UserData["udh"] = [];
  let single: 0 | 1 | 2 | 3 = 0;
  let locking: 0 | 1 | 2 | 3 = 0;
  if (udhi) {
    if (octets === 0) r.fail(`${field}.ud.udh`, "header indicated but user data is empty", start);
    const parsed = readUdh(r, end, `${field}.ud.udh`);
    ({ concat, single, locking } = parsed);
    udh = parsed.ies;
  }
  const udhOctets = r.pos - start;
  if (coding === "gsm7") {
    const udhSeptets = Math.ceil((udhOctets * 8) / 7);
    if (udl < udhSeptets)
      r.fail(`${field}.udl`, `user data length ${udl} shorter than its header`, udlOffset);
    const fill = udhSeptets * 7 - udhOctets * 8;
    const bits = udl * 7;
    const text = decodePacked(r.buf, r.pos, fill, udl - udhSeptets, locking, single, (s, n) =>
      stripPaddingCr(s, n, bits),
    );
    r.pos = end;
    return { coding, text, concat, udh };
  }
  const bodyLen = end - r.pos;
  if (coding === "ucs2") {
    if (bodyLen % 2 !== 0) r.fail(`${field}.ud`, "UCS-2 user data has an odd number of octets", r.pos);
    const text = decodeUcs2(r.buf, r.pos, bodyLen);
    r.pos = end;
    return { coding, text, concat, udh };
  }
  const dataHex = toHex(r.buf, r.pos, end);
  r.pos = end;
  return { coding, dataHex, concat, udh };
}
