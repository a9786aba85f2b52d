/** SMS-STATUS-REPORT (23.040 §9.2.2.3) and the TP-Status classes of §9.2.3.15. */

import { readTpAddress } from "./address.js";
import { decodeDcs } from "./dcs.js";
import { checkDcs } from "./dcs-check.js";
import type { Reader } from "./reader.js";
import { readTimestamp } from "./timestamp.js";
import type { Address, StatusClass, StatusReportPdu } from "./types.js";
import { readUserData } from "./user-data.js";

/** §9.2.3.15: values the spec defines; the others in 0x00–0x7F are reserved or SC-specific. */
function isReserved(st: number): boolean {
  if (st >= 0x80) return true;
  const low = st & 0x1f;
  switch (st >> 5) {
    case 0:
      return low >= 0x03 && low <= 0x0f; // 0x10–0x1F are SC-specific, not reserved
    case 1:
      return low >= 0x06 && low <= 0x0f;
    case 2:
      return low >= 0x0a && low <= 0x0f;
    default:
      return low >= 0x06 && low <= 0x0f;
  }
}

/**
 * Bits 6–5 give the class: 00 transaction completed, 01 temporary error with the SC still trying,
 * 10 permanent error, 11 temporary error with the SC no longer trying. §9.2.3.15: a reserved value
 * is interpreted as "Service Rejected" (0110 0011), i.e. failed-temporary; the raw value is kept.
 */
export function statusClass(st: number): StatusClass {
  if (isReserved(st)) return "failed-temporary";
  const cls = st >> 5;
  return cls === 0
    ? "delivered"
    : cls === 1
      ? "pending"
      : cls === 2
        ? "failed-permanent"
        : "failed-temporary";
}

export function readStatusReport(r: Reader, smsc: Address | null, fo: number): StatusReportPdu {
  const mr = r.u8("tpdu.mr");
  const recipient = readTpAddress(r, "tpdu.ra");
  const scts = readTimestamp(r, "tpdu.scts");
  const dischargeTime = readTimestamp(r, "tpdu.dt");
  const status = r.u8("tpdu.st");
  const base = {
    type: "status-report" as const,
    smsc,
    mr,
    recipient,
    scts,
    dischargeTime,
    status,
    statusClass: statusClass(status),
    statusReportQualifier: (fo & 0x20) !== 0,
  };
  // §9.2.2.3: TP-PI and what it announces are optional; a report may end after TP-ST.
  if (r.remaining === 0) return base;
  // TP-PI (§9.2.3.27): bit 0 PID, bit 1 DCS, bit 2 UDL; bit 7 extends into further PI octets.
  let pi = r.u8("tpdu.pi");
  const firstPi = pi;
  while (pi & 0x80) pi = r.u8("tpdu.pi");
  const pid = firstPi & 0x01 ? r.u8("tpdu.pid") : undefined;
  const dcsOffset = r.pos;
  const dcs = firstPi & 0x02 ? r.u8("tpdu.dcs") : 0;
  if (!(firstPi & 0x04))
    return { ...base, ...(pid === undefined ? {} : { pid }), ...(firstPi & 0x02 ? { dcs } : {}) };
  const info = checkDcs(r, decodeDcs(dcs), dcsOffset);
  const ud = readUserData(r, (fo & 0x40) !== 0, info, "tpdu");
  return { ...base, ...(pid === undefined ? {} : { pid }), dcs, messageClass: info.messageClass, ...ud };
}
