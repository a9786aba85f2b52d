/**
 * SMS-SUBMIT (23.040 §9.2.2.2) for the simulator: a strict reader for what a client submits with
 * AT+CMGS, and a small writer used by text mode (27.005 §3.5.1, the modem builds the TPDU itself).
 */
import { gsm7Septets, gsm7Text, unpackSeptets } from "./pdu-gsm7.js";
import {
  type Concat,
  dcsFor,
  encodeAddress,
  encodeSmsc,
  encodeUserData,
  type LiteCoding,
  PduLiteError,
  type SubmitLite,
  type UserData,
} from "./pdu-lite.js";

class Reader {
  pos = 0;
  constructor(readonly b: Uint8Array) {}
  u8(field: string): number {
    const v = this.b[this.pos];
    if (v === undefined) throw new PduLiteError(`truncated at ${field}`, this.pos);
    this.pos++;
    return v;
  }
  take(n: number, field: string): Uint8Array {
    if (this.pos + n > this.b.length) throw new PduLiteError(`truncated at ${field}`, this.pos);
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

function bcdDigits(octets: Uint8Array, count: number): string {
  let s = "";
  for (const o of octets) s += (o & 0x0f).toString(16) + (o >> 4).toString(16);
  return s.slice(0, count).toUpperCase();
}

function readAddress(r: Reader, field: string): string {
  const len = r.u8(`${field}.length`);
  const toa = r.u8(`${field}.toa`);
  const value = r.take(Math.ceil(len / 2), field);
  if ((toa & 0x70) === 0x50) return gsm7Text(unpackSeptets(value, Math.floor((len * 4) / 7)));
  const digits = bcdDigits(value, len);
  return (toa & 0x70) === 0x10 ? `+${digits}` : digits;
}

/** 23.038 §4: alphabet from the DCS; compressed or reserved groups are refused. */
function codingOf(dcs: number, offset: number): LiteCoding {
  const group = dcs >> 4;
  if (group <= 3) {
    if (dcs & 0x20) throw new PduLiteError("compressed user data is not supported", offset);
    const a = (dcs >> 2) & 3;
    if (a === 3) throw new PduLiteError(`reserved alphabet in DCS 0x${dcs.toString(16)}`, offset);
    return a === 0 ? "gsm7" : a === 1 ? "8bit" : "ucs2";
  }
  if (group === 0xc || group === 0xd) return "gsm7";
  if (group === 0xe) return "ucs2";
  if (group === 0xf) return dcs & 0x04 ? "8bit" : "gsm7";
  throw new PduLiteError(`reserved DCS 0x${dcs.toString(16)}`, offset);
}

function parseConcat(udh: Uint8Array): Concat | undefined {
  let i = 0;
  while (i + 1 < udh.length) {
    const iei = udh[i] ?? 0;
    const len = udh[i + 1] ?? 0;
    const v = udh.subarray(i + 2, i + 2 + len);
    if (iei === 0x00 && len === 3) return { refBits: 8, ref: v[0] ?? 0, total: v[1] ?? 0, seq: v[2] ?? 0 };
    if (iei === 0x08 && len === 4)
      return { refBits: 16, ref: ((v[0] ?? 0) << 8) | (v[1] ?? 0), total: v[2] ?? 0, seq: v[3] ?? 0 };
    i += 2 + len;
  }
  return undefined;
}

/** Reads a PDU-mode SMS-SUBMIT (SMSC field first). Throws PduLiteError with the octet offset. */
export function decodeSubmit(pduHex: string): SubmitLite {
  if (!/^([0-9A-Fa-f]{2})+$/.test(pduHex)) throw new PduLiteError("not an even-length hex string", 0);
  const r = new Reader(Uint8Array.from(Buffer.from(pduHex, "hex")));
  const smscLen = r.u8("smsc.length");
  const smscBytes = r.take(smscLen, "smsc");
  const smsc =
    smscLen > 1
      ? `${((smscBytes[0] ?? 0) & 0x70) === 0x10 ? "+" : ""}${bcdDigits(smscBytes.subarray(1), (smscLen - 1) * 2).replace(/F$/, "")}`
      : null;
  const tpduStart = r.pos;
  const fo = r.u8("first-octet");
  if ((fo & 0x03) !== 0x01) throw new PduLiteError(`TP-MTI ${fo & 3} is not SMS-SUBMIT`, tpduStart);
  const mr = r.u8("mr");
  const to = readAddress(r, "da");
  const pid = r.u8("pid");
  const dcsAt = r.pos;
  const dcs = r.u8("dcs");
  const vpf = (fo >> 3) & 3;
  if (vpf === 2) r.u8("vp");
  else if (vpf !== 0) r.take(7, "vp");
  const coding = codingOf(dcs, dcsAt);
  const udl = r.u8("udl");
  const udhi = (fo & 0x40) !== 0;
  const rest = r.b.subarray(r.pos);
  const udOctets = coding === "gsm7" ? Math.ceil((udl * 7) / 8) : udl;
  if (rest.length !== udOctets)
    throw new PduLiteError(`TP-UDL ${udl} needs ${udOctets} octets, ${rest.length} present`, r.pos);
  const udhLen = udhi ? (rest[0] ?? 0) + 1 : 0;
  if (udhLen > rest.length) throw new PduLiteError("UDH longer than the user data", r.pos);
  const concat = udhi ? parseConcat(rest.subarray(1, udhLen)) : undefined;
  let text: string;
  let bytes: Uint8Array | undefined;
  if (coding === "gsm7") {
    text = gsm7Text(unpackSeptets(rest, udl, Math.ceil((udhLen * 8) / 7)));
  } else {
    bytes = rest.slice(udhLen);
    text =
      coding === "ucs2"
        ? Buffer.from(bytes).swap16().toString("utf16le")
        : Buffer.from(bytes).toString("hex").toUpperCase();
    if (coding === "ucs2" && bytes.length % 2) throw new PduLiteError("odd UCS-2 length", r.pos);
  }
  const base = { mr, to, srr: (fo & 0x20) !== 0, smsc, pid, dcs, tpduLength: r.b.length - tpduStart };
  return {
    ...base,
    coding,
    text,
    ...(bytes && coding === "8bit" ? { bytes } : {}),
    ...(concat ? { concat } : {}),
  };
}

/** SMS-SUBMIT with relative validity absent, MR 0 (the modem assigns it). */
export function encodeSubmit(s: { to: string; ud: UserData; srr?: boolean; smsc?: string | null }): {
  pdu: string;
  tpduLength: number;
} {
  const ud = encodeUserData(s.ud);
  const fo = 0x01 | (s.srr ? 0x20 : 0) | (ud.udhi ? 0x40 : 0);
  const tpdu = [fo, 0, ...encodeAddress(s.to), 0, dcsFor(s.ud.coding), ...ud.octets];
  const all = [...encodeSmsc(s.smsc ?? null), ...tpdu];
  return { pdu: Buffer.from(all).toString("hex").toUpperCase(), tpduLength: tpdu.length };
}

/** Chooses GSM 7-bit when every character fits, UCS-2 otherwise (23.038 §6.2.1). */
export function pickCoding(text: string): LiteCoding {
  return gsm7Septets(text) ? "gsm7" : "ucs2";
}
