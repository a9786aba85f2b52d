/**
 * The simulator's own small TPDU codec (3GPP TS 23.040 §9.2): it builds SMS-DELIVER and
 * SMS-STATUS-REPORT, and reads SMS-SUBMIT. Independent of src/pdu on purpose (see pdu-gsm7.ts).
 * PDU-mode strings carry the SMSC address first (27.005 §3.1 <pdu>).
 */
import { gsm7Septets, gsm7Text, packSeptets, unpackSeptets } from "./pdu-gsm7.js";

export type LiteCoding = "gsm7" | "ucs2" | "8bit";

export interface Concat {
  readonly ref: number;
  readonly total: number;
  readonly seq: number;
  readonly refBits: 8 | 16;
}

/** User data as it travels end to end: the network hands TP-UD over unchanged (23.040 §9.2.3.24). */
export interface UserData {
  readonly coding: LiteCoding;
  readonly text: string;
  /** Raw octets for "8bit" (text is then their hex). */
  readonly bytes?: Uint8Array;
  readonly concat?: Concat;
}

export interface SubmitLite extends UserData {
  readonly mr: number;
  readonly to: string;
  readonly srr: boolean;
  readonly smsc: string | null;
  readonly pid: number;
  readonly dcs: number;
  readonly tpduLength: number;
}

export class PduLiteError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (octet ${offset})`);
  }
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex").toUpperCase();

/** 23.040 §9.1.2.3 semi-octets, 'F' filler; an empty number gives no octets. */
function semiOctets(digits: string): number[] {
  const d = digits.length % 2 ? `${digits}F` : digits;
  const out: number[] = [];
  for (let i = 0; i < d.length; i += 2) out.push(Number.parseInt(`${d[i + 1]}${d[i]}`, 16));
  return out;
}

/** TP-OA/TP-DA/TP-RA (23.040 §9.1.2.5): length in digits, TOA 0x91 international, 0x81 unknown/ISDN,
 * 0xD0 alphanumeric (value GSM 7-bit packed, length in semi-octets). */
export function encodeAddress(addr: string): number[] {
  if (/^\+?\d+$/.test(addr)) {
    const digits = addr.replace("+", "");
    return [digits.length, addr.startsWith("+") ? 0x91 : 0x81, ...semiOctets(digits)];
  }
  const septets = gsm7Septets(addr) ?? gsm7Septets("?")!;
  const packed = packSeptets(septets);
  return [Math.ceil((septets.length * 7) / 4), 0xd0, ...packed];
}

/** 27.005 §3.1 / 24.011 §8.2.5.1 SMSC field: length in octets including the TOA, 0 = none. */
export function encodeSmsc(addr: string | null): number[] {
  if (!addr) return [0];
  const digits = addr.replace("+", "");
  const body = [addr.startsWith("+") ? 0x91 : 0x81, ...semiOctets(digits)];
  return [body.length, ...body];
}

/** 23.040 §9.2.3.11 TP-SCTS: swapped BCD fields, time zone in quarter hours, bit 3 of octet 7 = minus. */
export function encodeTimestamp(ms: number, tzQuarters = 0): number[] {
  const d = new Date(ms + tzQuarters * 15 * 60_000);
  const bcd = (n: number) => ((n % 10) << 4) | (Math.floor(n / 10) % 10);
  const tz = bcd(Math.abs(tzQuarters)) | (tzQuarters < 0 ? 0x08 : 0);
  return [
    bcd(d.getUTCFullYear() % 100),
    bcd(d.getUTCMonth() + 1),
    bcd(d.getUTCDate()),
    bcd(d.getUTCHours()),
    bcd(d.getUTCMinutes()),
    bcd(d.getUTCSeconds()),
    tz,
  ];
}

/** Concatenation IE (23.040 §9.2.3.24.1 IEI 00, §9.2.3.24.8 IEI 08). */
function concatUdh(c: Concat): number[] {
  const ie =
    c.refBits === 16
      ? [0x08, 4, (c.ref >> 8) & 0xff, c.ref & 0xff, c.total, c.seq]
      : [0x00, 3, c.ref & 0xff, c.total, c.seq];
  return [ie.length, ...ie];
}

/** DCS for a coding, general data coding group, no class (23.038 §4). */
export function dcsFor(coding: LiteCoding): number {
  return coding === "gsm7" ? 0x00 : coding === "8bit" ? 0x04 : 0x08;
}

/** TP-UDL + TP-UD (23.040 §9.2.3.16, §9.2.3.24): UDL counts septets for GSM 7-bit, octets otherwise. */
export function encodeUserData(ud: UserData): { udhi: boolean; octets: number[] } {
  const udh = ud.concat ? concatUdh(ud.concat) : [];
  if (ud.coding === "gsm7") {
    const septets = gsm7Septets(ud.text);
    if (!septets) throw new PduLiteError("text is not GSM 7-bit encodable", 0);
    const skip = Math.ceil((udh.length * 8) / 7);
    const packed = packSeptets(septets, skip);
    packed.set(udh, 0);
    return { udhi: udh.length > 0, octets: [skip + septets.length, ...packed] };
  }
  const body = ud.coding === "8bit" ? [...(ud.bytes ?? [])] : [...Buffer.from(ud.text, "utf16le").swap16()];
  return { udhi: udh.length > 0, octets: [udh.length + body.length, ...udh, ...body] };
}

export interface DeliverLite extends UserData {
  readonly from: string;
  readonly smsc: string;
  readonly timestamp: number;
  readonly tzQuarters?: number;
  readonly pid?: number;
  /** TP-SRI: the sender asked for a status report (23.040 §9.2.3.4). */
  readonly sri?: boolean;
}

/** SMS-DELIVER (23.040 §9.2.2.1). Returns the PDU-mode hex and the TPDU length for +CMT/+CMGR. */
export function encodeDeliver(d: DeliverLite): { pdu: string; tpduLength: number } {
  const ud = encodeUserData(d);
  // TP-MTI=00, TP-MMS=1 (no more messages), TP-SRI bit 5, TP-UDHI bit 6.
  const fo = 0x04 | (d.sri ? 0x20 : 0) | (ud.udhi ? 0x40 : 0);
  const tpdu = [
    fo,
    ...encodeAddress(d.from),
    d.pid ?? 0,
    dcsFor(d.coding),
    ...encodeTimestamp(d.timestamp, d.tzQuarters),
    ...ud.octets,
  ];
  return { pdu: hex(Uint8Array.from([...encodeSmsc(d.smsc), ...tpdu])), tpduLength: tpdu.length };
}

export interface StatusReportLite {
  readonly mr: number;
  readonly recipient: string;
  readonly smsc: string;
  readonly submittedAt: number;
  readonly dischargedAt: number;
  /** TP-ST (23.040 §9.2.3.15): 0x00 delivered, 0x20–0x3F temporary, 0x40–0x6F permanent/gave up. */
  readonly status: number;
}

/** SMS-STATUS-REPORT (23.040 §9.2.2.3), without the optional TP-PI. */
export function encodeStatusReport(s: StatusReportLite): { pdu: string; tpduLength: number } {
  const tpdu = [
    0x06, // TP-MTI=10, TP-MMS=1, TP-SRQ=0 (result of an SMS-SUBMIT)
    s.mr & 0xff,
    ...encodeAddress(s.recipient),
    ...encodeTimestamp(s.submittedAt),
    ...encodeTimestamp(s.dischargedAt),
    s.status & 0xff,
  ];
  return { pdu: hex(Uint8Array.from([...encodeSmsc(s.smsc), ...tpdu])), tpduLength: tpdu.length };
}

export { gsm7Septets, gsm7Text, hex as toHex, unpackSeptets };
