/**
 * Public types of the PDU codec (3GPP TS 23.040 / 23.038). The codec is pure: no I/O, no clock,
 * no logger. Everything that crosses this boundary is plain data so that it can be logged, stored
 * as JSON and compared in tests.
 */

/** Alphabet of the user data, from the TP-DCS (23.038 §4). */
export type Coding = "gsm7" | "ucs2" | "8bit";

/** National language shift tables of 23.038 §6.2.1 / §6.2.2 that we implement. */
export type NationalLanguage = "turkish" | "spanish" | "portuguese";

/** Validity period of an SMS-SUBMIT (23.040 §9.2.3.12). */
export type Validity =
  /** TP-VPF=10: relative, rounded up to the next representable step (5 min … 63 weeks). */
  | { readonly format: "relative"; readonly seconds: number }
  /** TP-VPF=11: absolute time stamp; `offsetMinutes` is the zone written in the PDU (quarter hours). */
  | { readonly format: "absolute"; readonly date: Date; readonly offsetMinutes: number }
  /** TP-VPF=01: enhanced format, relative in seconds (0…255 s) or the relative-integer form. */
  | { readonly format: "enhanced"; readonly seconds: number };

export interface SubmitOptions {
  /** Recipient. "+33612345678" is international (TOA 0x91); anything without "+" ("0612345678",
   * "0033…", short codes) goes out digit for digit with TOA 0x81 (unknown type, ISDN plan), which
   * lets the network apply its own dialling rules. Formatting (spaces, dots, dashes, parentheses,
   * slashes) is stripped; "*", "#", "a", "b", "c" are valid digits (23.040 §9.1.2.3). A leading
   * "00" is NOT rewritten as international. */
  readonly to: string;
  readonly text?: string;
  /** Binary user data (8-bit coding); exclusive with `text`. */
  readonly data?: Uint8Array;
  /** Default "auto": GSM 7-bit when every character fits (with configured shift tables), else UCS-2. */
  readonly coding?: "auto" | "gsm7" | "ucs2";
  /** Replace look-alike punctuation by GSM-7 characters when only they would force UCS-2. */
  readonly smart?: boolean;
  /** TP-SRR. */
  readonly statusReport?: boolean;
  /** Message class 0–3 in the DCS (class 0 = flash); null/undefined = no class. */
  readonly messageClass?: 0 | 1 | 2 | 3 | null;
  readonly validity?: Validity;
  /** SMSC address to put in front of the TPDU; absent/null = "00" (use the SIM's SMSC). */
  readonly smsc?: string | null;
  /** TP-MR, 0–255. Modems overwrite it; default 0. */
  readonly mr?: number;
  /** TP-RD. */
  readonly rejectDuplicates?: boolean;
  /** TP-PID, default 0x00. */
  readonly pid?: number;
  /** Concatenation reference; required by the caller for determinism when more than one part. */
  readonly concatRef?: number;
  /** Use the 16-bit reference IEI 0x08 instead of 0x00. */
  readonly concatRef16?: boolean;
  /** National language tables allowed for GSM-7 encoding (UDH IEI 0x24/0x25). */
  readonly nationalLanguages?: { readonly single?: NationalLanguage; readonly locking?: NationalLanguage };
}

export interface SubmitPart {
  /** Hex, upper case, SMSC octets first ("00" when none): what is sent after the `> ` prompt. */
  readonly pdu: string;
  /** Octets of the TPDU without the SMSC field: the `<length>` of `AT+CMGS=`. */
  readonly tpduLength: number;
  /** 1-based part number and count. */
  readonly seq: number;
  readonly total: number;
  /** The text carried by this part (for GSM-7/UCS-2). */
  readonly text?: string;
}

export interface EncodedSubmit {
  readonly coding: Coding;
  /** The text actually encoded (after smart replacement). */
  readonly text?: string;
  readonly parts: readonly SubmitPart[];
}

export interface Concat {
  readonly ref: number;
  readonly total: number;
  readonly seq: number;
  /** 8 for IEI 0x00, 16 for IEI 0x08. */
  readonly refBits: 8 | 16;
}

export interface Address {
  /** Digits with "+" when TON is international; the decoded text when alphanumeric. */
  readonly number: string;
  /** Type of number: "international" | "national" | "unknown" | "alphanumeric" | other TON values. */
  readonly type:
    | "international"
    | "national"
    | "unknown"
    | "alphanumeric"
    | "network-specific"
    | "subscriber"
    | "abbreviated"
    | "reserved";
  /** Type-of-address octet as read or written. */
  readonly toa: number;
}

/** A time stamp with the zone it was written in (23.040 §9.2.3.11). */
export interface Timestamp {
  /** ISO 8601 with the PDU's own offset, e.g. "2026-11-26T10:21:00+01:00". */
  readonly iso: string;
  /** Offset from UTC in minutes, may be negative. */
  readonly offsetMinutes: number;
}

interface DecodedCommon {
  readonly smsc: Address | null;
  readonly coding: Coding;
  readonly messageClass: 0 | 1 | 2 | 3 | null;
  /** Decoded text for GSM-7 and UCS-2; undefined for 8-bit. */
  readonly text?: string;
  /** Raw user data (without UDH) in hex for 8-bit coding. */
  readonly dataHex?: string;
  readonly concat: Concat | null;
  /** Raw UDH information elements. */
  readonly udh: readonly { readonly iei: number; readonly data: string }[];
  readonly pid: number;
  readonly dcs: number;
}

export interface DeliverPdu extends DecodedCommon {
  readonly type: "deliver";
  readonly originator: Address;
  readonly scts: Timestamp;
  readonly statusReportIndication: boolean;
  readonly moreMessages: boolean;
  readonly replyPath: boolean;
}

export interface SubmitPdu extends DecodedCommon {
  readonly type: "submit";
  readonly recipient: Address;
  readonly mr: number;
  readonly statusReportRequest: boolean;
  readonly rejectDuplicates: boolean;
  readonly validity: Validity | null;
}

/** TP-ST classes of 23.040 §9.2.3.15. */
export type StatusClass = "delivered" | "pending" | "failed-permanent" | "failed-temporary";

export interface StatusReportPdu {
  readonly type: "status-report";
  readonly smsc: Address | null;
  readonly mr: number;
  readonly recipient: Address;
  readonly scts: Timestamp;
  readonly dischargeTime: Timestamp;
  /** Raw TP-ST. */
  readonly status: number;
  readonly statusClass: StatusClass;
  /** TP-SRQ: the report is the result of an SMS-COMMAND rather than of an SMS-SUBMIT. */
  readonly statusReportQualifier?: boolean;
  /** Optional parameters announced by TP-PI (23.040 §9.2.3.27). */
  readonly pid?: number;
  readonly dcs?: number;
  readonly coding?: Coding;
  readonly messageClass?: 0 | 1 | 2 | 3 | null;
  readonly text?: string;
  readonly dataHex?: string;
  readonly concat?: Concat | null;
  readonly udh?: readonly { readonly iei: number; readonly data: string }[];
}

export type DecodedPdu = DeliverPdu | SubmitPdu | StatusReportPdu;

export interface DecodeOptions {
  /** The PDU starts with the SMSC field (as in +CMGR/+CMT/+CMGL output). Default true. */
  readonly smsc?: boolean;
}

export interface SegmentPreview {
  readonly coding: Coding;
  readonly parts: number;
  /** Units (septets for GSM-7, UTF-16 code units for UCS-2) used in total. */
  readonly units: number;
  /** Characters (units) left in the last part before another part is needed. */
  readonly remainingInLastPart: number;
  /** Per-part capacity in units for this coding and part count (160/153, 70/67, 140/134). */
  readonly perPart: number;
  /** Distinct characters that forced UCS-2, in order of first appearance. */
  readonly ucs2Forcers: readonly string[];
  /** Text after smart replacement, when smart was requested. */
  readonly text: string;
}
