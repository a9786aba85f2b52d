/**
 * Splitting text into parts (23.040 §9.2.3.24.1 concatenation) and choosing the alphabet.
 *
 * Capacities come from the actual UDH length: GSM-7 parts hold 160 septets minus the septets the
 * UDH occupies with its fill bits (153 with an 8-bit reference, 152 with a 16-bit one, less with
 * national language IEs); UCS-2 parts hold (140 − UDH) / 2 code units. An escape pair or a
 * surrogate pair is never split between parts.
 */

import { PduEncodeError } from "./errors.js";
import { encodeSeptetsShared, encodeTable, septetBuffer, unencodable } from "./gsm7.js";
import { CR, ESC, LANGUAGE_IDS, type LanguageId } from "./gsm7-tables.js";
import { replaceLookalikes } from "./smart.js";
import type { NationalLanguage } from "./types.js";

export interface PartSlice {
  /** Unit range: septets for GSM-7, UTF-16 code units for UCS-2, octets for 8-bit. */
  readonly start: number;
  readonly end: number;
  readonly textStart: number;
  readonly textEnd: number;
  /** 23.038 §6.1.2.3.1: text ends with CR exactly on an octet boundary, a second CR follows. */
  readonly extraCr: boolean;
}

export interface Plan {
  readonly coding: "gsm7" | "ucs2";
  readonly text: string;
  readonly locking: LanguageId;
  readonly single: LanguageId;
  /** GSM-7 septets (the first `units` entries); may be a shared scratch buffer, read it at once. */
  readonly septets: Uint8Array | null;
  /** Units of the whole text (septets or UTF-16 code units). */
  readonly units: number;
  readonly parts: readonly PartSlice[];
  /** Capacity of each part for this part count. */
  readonly perPart: number;
  /** Distinct characters that forced UCS-2 (empty when GSM-7 or when UCS-2 was requested). */
  readonly ucs2Forcers: readonly string[];
}

export interface PlanOptions {
  readonly coding?: "auto" | "gsm7" | "ucs2";
  readonly smart?: boolean;
  readonly concatRef16?: boolean;
  readonly nationalLanguages?: { readonly single?: NationalLanguage; readonly locking?: NationalLanguage };
  /** Compute `ucs2Forcers` (only the preview needs them). */
  readonly forcers?: boolean;
}

const MAX_PARTS = 255;

/** Octets of a concatenation IE with its header. */
function concatIeLength(ref16: boolean | undefined): number {
  return ref16 ? 6 : 5;
}

function udhSeptets(udhOctets: number): number {
  return Math.ceil((udhOctets * 8) / 7);
}

/** GSM-7 capacity in septets for a UDH of `udhOctets` (UDHL included, 0 = no UDH). */
export function gsm7Capacity(udhOctets: number): number {
  return 160 - udhSeptets(udhOctets);
}

export function octetCapacity(udhOctets: number): number {
  return 140 - udhOctets;
}

/** Does a GSM-7 part ending at `end` leave a final CR that a receiver would take for padding? */
function crHazard(s: Uint8Array, start: number, end: number, udhOct: number): 0 | 1 | 2 {
  if (end - start < 1 || s[end - 1] !== CR) return 0;
  const bits = (udhSeptets(udhOct) + end - start) * 7;
  if (bits % 8 === 0) return 1;
  if (bits % 8 === 7 && end - start >= 2 && s[end - 2] === CR) return 2;
  return 0;
}

function splitSeptets(s: Uint8Array, n: number, nlOctets: number, ref16: boolean | undefined): PartSlice[] {
  const singleUdh = nlOctets > 0 ? nlOctets + 1 : 0;
  const singleCap = gsm7Capacity(singleUdh);
  if (n <= singleCap) {
    const hazard = crHazard(s, 0, n, singleUdh);
    if (hazard !== 1 || n + 1 <= singleCap) {
      return [{ start: 0, end: n, textStart: 0, textEnd: n - countEsc(s, 0, n), extraCr: hazard === 1 }];
    }
  }
  const udh = nlOctets + concatIeLength(ref16) + 1;
  const cap = gsm7Capacity(udh);
  const parts: PartSlice[] = [];
  let pos = 0;
  let ti = 0;
  while (pos < n) {
    let end = Math.min(pos + cap, n);
    if (end < n && s[end - 1] === ESC) end--;
    const safeEnd = end;
    let extraCr = false;
    for (;;) {
      if (end < n && s[end - 1] === ESC) end--;
      const hazard = crHazard(s, pos, end, udh);
      if (hazard === 0) break;
      if (end === n) {
        // Last part: §6.1.2.3.1 adds a second CR when there is room, else the CR moves on.
        if (hazard === 2) break;
        if (end - pos + 1 <= cap) {
          extraCr = true;
          break;
        }
      }
      if (end - 1 <= pos) {
        // Only a part made of nothing but CRs could get here: keep the escape-safe cut.
        end = safeEnd;
        break;
      }
      end--;
    }
    const chars = end - pos - countEsc(s, pos, end);
    parts.push({ start: pos, end, textStart: ti, textEnd: ti + chars, extraCr });
    ti += chars;
    pos = end;
    if (parts.length > MAX_PARTS) {
      throw new PduEncodeError("text", `needs more than ${MAX_PARTS} parts`);
    }
  }
  return parts;
}

function countEsc(s: Uint8Array, start: number, end: number): number {
  let k = 0;
  for (let i = start; i < end; i++) if (s[i] === ESC) k++;
  return k;
}

/** Splits a unit sequence of `n` (UCS-2 code units when `text` is given, else octets). */
export function splitUnits(
  n: number,
  unitOctets: 1 | 2,
  ref16: boolean | undefined,
  text?: string,
): PartSlice[] {
  const singleCap = Math.floor(octetCapacity(0) / unitOctets);
  if (n <= singleCap) return [{ start: 0, end: n, textStart: 0, textEnd: n, extraCr: false }];
  const cap = Math.floor(octetCapacity(concatIeLength(ref16) + 1) / unitOctets);
  const parts: PartSlice[] = [];
  let pos = 0;
  while (pos < n) {
    let end = Math.min(pos + cap, n);
    // A high surrogate at the end of a part would split an astral character.
    if (text && end < n) {
      const c = text.charCodeAt(end - 1);
      if (c >= 0xd800 && c <= 0xdbff) end--;
    }
    parts.push({ start: pos, end, textStart: pos, textEnd: end, extraCr: false });
    pos = end;
  }
  if (parts.length > MAX_PARTS) {
    throw new PduEncodeError("text", `needs ${parts.length} parts, at most ${MAX_PARTS}`);
  }
  return parts;
}

interface Candidate {
  readonly locking: LanguageId;
  readonly single: LanguageId;
}

const DEFAULT_ONLY: readonly Candidate[] = [{ locking: 0, single: 0 }];

function candidates(nl: PlanOptions["nationalLanguages"]): readonly Candidate[] {
  if (!nl || (!nl.single && !nl.locking)) return DEFAULT_ONLY;
  const out: Candidate[] = [{ locking: 0, single: 0 }];
  // 23.038 A.3.2: there is no Spanish locking shift table; Spanish locks to the default alphabet.
  const locking = nl.locking && nl.locking !== "spanish" ? LANGUAGE_IDS[nl.locking] : 0;
  const single = nl.single ? LANGUAGE_IDS[nl.single] : 0;
  if (single) out.push({ locking: 0, single });
  if (locking) out.push({ locking, single: 0 });
  if (locking && single) out.push({ locking, single });
  return out;
}

function fitsGsm7(text: string, cands: readonly Candidate[]): boolean {
  for (const c of cands) if (encodeSeptetsShared(text, encodeTable(c.locking, c.single)) >= 0) return true;
  return false;
}

/** Smart replacement applied only when the result fits GSM-7 with the allowed tables. */
export function smartText(text: string, nl?: PlanOptions["nationalLanguages"]): string {
  const replaced = replaceLookalikes(text);
  if (replaced === text) return text;
  return fitsGsm7(replaced, candidates(nl)) ? replaced : text;
}

function bestGsm7(text: string, opts: PlanOptions): Plan | null {
  const cands = candidates(opts.nationalLanguages);
  let best: Plan | null = null;
  for (const c of cands) {
    const n = encodeSeptetsShared(text, encodeTable(c.locking, c.single));
    if (n < 0) continue;
    const shared = septetBuffer();
    const nlOctets = (c.locking ? 3 : 0) + (c.single ? 3 : 0);
    const parts = splitSeptets(shared, n, nlOctets, opts.concatRef16);
    if (best && best.parts.length <= parts.length) continue;
    const udh =
      parts.length > 1 ? nlOctets + concatIeLength(opts.concatRef16) + 1 : nlOctets ? nlOctets + 1 : 0;
    best = {
      coding: "gsm7",
      text,
      locking: c.locking,
      single: c.single,
      // One candidate (the usual case): keep the shared buffer, the encoder reads it right away.
      septets: cands.length === 1 ? shared : shared.slice(0, n),
      units: n,
      parts,
      perPart: gsm7Capacity(udh),
      ucs2Forcers: [],
    };
  }
  return best;
}

export function planText(input: string, opts: PlanOptions): Plan {
  const coding = opts.coding ?? "auto";
  const text = opts.smart && coding !== "ucs2" ? smartText(input, opts.nationalLanguages) : input;
  if (coding !== "ucs2") {
    const gsm = bestGsm7(text, opts);
    if (gsm) return gsm;
    const widest = candidates(opts.nationalLanguages).at(-1)!;
    const table = encodeTable(widest.locking, widest.single);
    const forcers = opts.forcers || coding === "gsm7" ? unencodable(text, table) : [];
    if (coding === "gsm7") {
      throw new PduEncodeError("text", `not encodable in GSM 7-bit: ${forcers.slice(0, 10).join(" ")}`);
    }
    return ucs2Plan(text, opts, forcers);
  }
  return ucs2Plan(text, opts, []);
}

function ucs2Plan(text: string, opts: PlanOptions, ucs2Forcers: string[]): Plan {
  const parts = splitUnits(text.length, 2, opts.concatRef16, text);
  const udh = parts.length > 1 ? concatIeLength(opts.concatRef16) + 1 : 0;
  return {
    coding: "ucs2",
    text,
    locking: 0,
    single: 0,
    septets: null,
    units: text.length,
    parts,
    perPart: Math.floor(octetCapacity(udh) / 2),
    ucs2Forcers,
  };
}
