/**
 * SMS-SUBMIT encoding (23.040 §9.2.2.2) in PDU mode (27.005 §3.3): SMSC field, then the TPDU
 * TP-MTI/RD/VPF/SRR/UDHI/RP, TP-MR, TP-DA, TP-PID, TP-DCS, TP-VP, TP-UDL, TP-UD. One PDU per part.
 */

import { parseNumber, writeSmsc, writeTpAddress } from "./address.js";
import { encodeDcs } from "./dcs.js";
import { PduEncodeError } from "./errors.js";
import { packSeptets } from "./gsm7.js";
import { CR } from "./gsm7-tables.js";
import { toHex } from "./hex.js";
import { type PartSlice, type Plan, planText, splitUnits } from "./segment.js";
import type { Coding, EncodedSubmit, SubmitOptions, SubmitPart } from "./types.js";
import { encodeUcs2 } from "./ucs2.js";
import { type UdhSpec, writeUdh } from "./udh.js";
import { validityFormat, writeValidity } from "./validity.js";

function octetOption(value: number | undefined, field: string, fallback: number, max = 255): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new PduEncodeError(field, `must be an integer 0–${max}, got ${value}`);
  }
  return value;
}

const scratch = new Uint8Array(256);

/**
 * The SMSC field and TPDU octets TP-FO…TP-VP are identical in every part: they are written once
 * at the start of the scratch buffer and each part writes only from TP-UDL on.
 */
interface Header {
  readonly prefixLength: number;
  readonly smscLength: number;
  readonly fo: number;
}

/** Validates the header options and writes them once; TP-DCS is filled in by the caller. */
function buildHeader(opts: SubmitOptions, fo: number): Header & { readonly dcsOffset: number } {
  const to = parseNumber(String(opts.to ?? ""), "to");
  const smsc = opts.smsc ? parseNumber(opts.smsc, "smsc") : null;
  const mr = octetOption(opts.mr, "mr", 0);
  const pid = octetOption(opts.pid, "pid", 0);
  const b = scratch;
  const smscLength = writeSmsc(smsc, b, 0);
  let o = smscLength + 1;
  b[o++] = mr;
  o += writeTpAddress(to, b, o);
  b[o++] = pid;
  const dcsOffset = o++;
  o += writeValidity(opts.validity, b, o);
  return { prefixLength: o, smscLength, fo, dcsOffset };
}

export function encodeSubmit(opts: SubmitOptions): EncodedSubmit {
  if (opts.text !== undefined && opts.data !== undefined) {
    throw new PduEncodeError("data", "text and data are exclusive");
  }
  if (opts.text !== undefined && typeof opts.text !== "string")
    throw new PduEncodeError("text", "must be a string");
  const vpf = validityFormat(opts.validity);
  // 23.040 §9.2.3.1–§9.2.3.5: MTI 01, RD bit 2, VPF bits 4–3, SRR bit 5; UDHI (bit 6) per part.
  const fo = 0x01 | (opts.rejectDuplicates ? 0x04 : 0) | (vpf << 3) | (opts.statusReport ? 0x20 : 0);
  const h = buildHeader(opts, fo);
  let coding: Coding;
  let plan: Plan | null = null;
  let parts: readonly PartSlice[];
  if (opts.data !== undefined) {
    coding = "8bit";
    parts = splitUnits(opts.data.length, 1, opts.concatRef16);
  } else {
    plan = planText(opts.text ?? "", opts);
    coding = plan.coding;
    parts = plan.parts;
  }
  const dcs = encodeDcs(coding, opts.messageClass);
  const total = parts.length;
  let ref = 0;
  if (total > 1) {
    if (opts.concatRef === undefined)
      throw new PduEncodeError("concatRef", `required: the message needs ${total} parts`);
    ref = octetOption(opts.concatRef, "concatRef", 0, opts.concatRef16 ? 0xffff : 0xff);
  }
  scratch[h.dcsOffset] = dcs;
  const out: SubmitPart[] = [];
  for (let i = 0; i < total; i++) {
    const udh: UdhSpec = {
      concat: total > 1 ? { ref, total, seq: i + 1, refBits: opts.concatRef16 ? 16 : 8 } : undefined,
      locking: plan?.locking,
      single: plan?.single,
    };
    out.push(encodePart(h, udh, parts[i]!, i + 1, total, coding, plan, opts.data));
  }
  return plan ? { coding, text: plan.text, parts: out } : { coding, parts: out };
}

function encodePart(
  h: Header,
  udh: UdhSpec,
  part: PartSlice,
  seq: number,
  total: number,
  coding: Coding,
  plan: Plan | null,
  data: Uint8Array | undefined,
): SubmitPart {
  const b = scratch;
  const tpduStart = h.smscLength;
  let o = h.prefixLength;
  const udlOffset = o++;
  const udhOctets = writeUdh(udh, b, o);
  b[tpduStart] = h.fo | (udhOctets > 0 ? 0x40 : 0);
  o += udhOctets;
  let udl: number;
  if (coding === "gsm7") {
    const septets = plan!.septets!;
    const udhSeptets = Math.ceil((udhOctets * 8) / 7);
    const fill = udhSeptets * 7 - udhOctets * 8;
    let count = part.end - part.start;
    let src = septets;
    let start = part.start;
    if (part.extraCr) {
      src = new Uint8Array(count + 1);
      src.set(septets.subarray(part.start, part.end));
      src[count] = CR;
      start = 0;
      count++;
    }
    o += packSeptets(src, start, count, fill, b, o);
    udl = udhSeptets + count;
  } else if (coding === "ucs2") {
    o += encodeUcs2(plan!.text, part.start, part.end, b, o);
    udl = udhOctets + (part.end - part.start) * 2;
  } else {
    b.set(data!.subarray(part.start, part.end), o);
    o += part.end - part.start;
    udl = udhOctets + (part.end - part.start);
  }
  b[udlOffset] = udl;
  const pdu = toHex(b, 0, o);
  const tpduLength = o - tpduStart;
  if (!plan) return { pdu, tpduLength, seq, total };
  return { pdu, tpduLength, seq, total, text: plan.text.slice(part.textStart, part.textEnd) };
}
