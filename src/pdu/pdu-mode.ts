/**
 * PDU-mode entry point (27.005 §3.3): the optional SMSC field, then the TPDU selected by TP-MTI
 * (23.040 §9.2.3.1). In the SC→MS direction MTI 10 is SMS-STATUS-REPORT; MTI 01 is an SMS-SUBMIT
 * read back from the sent storage; 11 is reserved.
 */

import { readSmsc } from "./address.js";
import { readDeliver } from "./deliver.js";
import { PduDecodeError } from "./errors.js";
import { fromHex } from "./hex.js";
import { Reader } from "./reader.js";
import { readStatusReport } from "./status-report.js";
import { readSubmit } from "./submit-decode.js";
import type { DecodedPdu, DecodeOptions } from "./types.js";

export function decodePdu(input: string | Uint8Array, opts?: DecodeOptions): DecodedPdu {
  // Callers in plain JS may hand over anything: refuse it as a decode error, never a TypeError.
  if (typeof input !== "string" && !(input instanceof Uint8Array)) {
    throw new PduDecodeError("pdu", 0, "input must be a hex string or a Uint8Array");
  }
  const buf = typeof input === "string" ? fromHex(input) : input;
  if (buf.length === 0) throw new PduDecodeError("pdu", 0, "empty input");
  const r = new Reader(buf);
  const smsc = opts?.smsc === false ? null : readSmsc(r, "smsc");
  const foOffset = r.pos;
  const fo = r.u8("tpdu.fo");
  const mti = fo & 3;
  let pdu: DecodedPdu;
  if (mti === 0) pdu = readDeliver(r, smsc, fo);
  else if (mti === 1) pdu = readSubmit(r, smsc, fo);
  else if (mti === 2) pdu = readStatusReport(r, smsc, fo);
  else return r.fail("tpdu.fo.mti", "reserved message type indicator 11", foOffset);
  if (r.remaining > 0) {
    r.fail("tpdu", `${r.remaining} octets of trailing data after the user data`);
  }
  return pdu;
}
