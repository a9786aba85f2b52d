/**
 * Quectel EC25/EG25-G (LTE Cat-4, the PinePhone modem). USB 2c7c:0125, AT port on interface 2
 * (ttyUSB2: 0 DM, 1 NMEA, 2 AT, 3 modem per the Quectel Linux USB driver guide).
 * Sources: Quectel EC2x&EG9x&EG2x-G&EM05 Series AT Commands Manual V2.0 (AT+QPINC, AT+QCSQ,
 * AT+QCCID; "+QIND: SMS DONE" after boot, p. 297); boot transcript "+CPIN: READY / +QUSIM: 1 /
 * +QIND: SMS DONE / +QIND: PB DONE" (NuttX PinePhone EG25-G write-up).
 */
import { afterPrefix, intParam, splitParams } from "../src/modem/parse.js";
import { generic } from "./generic.js";
import { defineProfile, type PinAttempts, type SignalReading } from "./types.js";

/** +QPINC: "SC",<pin counter>,<puk counter>; AT+QPINC? lists one such line per facility ("SC", "P2"). */
export function parseQpinc(lines: readonly string[]): PinAttempts | null {
  for (const line of lines) {
    const rest = afterPrefix(line, "+QPINC:");
    if (rest === null) continue;
    const p = splitParams(rest);
    if (p[0]?.value !== "SC") continue;
    const pin = intParam(p[1]);
    if (pin === null) return null;
    return { pin, puk: intParam(p[2]) };
  }
  return null;
}

/**
 * +QCSQ: "LTE",<rssi>,<rsrp>,<sinr>,<rsrq> → RSRP; "GSM",<rssi> and "WCDMA",<rssi>,<rscp>,<ecio> →
 * RSSI; "NOSERVICE" → null (fall back to +CSQ).
 */
export function parseQcsq(lines: readonly string[]): SignalReading | null {
  for (const line of lines) {
    const rest = afterPrefix(line, "+QCSQ:");
    if (rest === null) continue;
    const p = splitParams(rest);
    const mode = p[0]?.value.toUpperCase();
    if (mode === "LTE" || mode === "CAT-M1" || mode === "CAT-NB1") {
      const rsrp = intParam(p[2]);
      return rsrp !== null && rsrp < 0 ? { dbm: rsrp, measure: "rsrp" } : null;
    }
    if (mode === "GSM" || mode === "WCDMA" || mode === "TDSCDMA") {
      const rssi = intParam(p[1]);
      return rssi !== null && rssi < 0 ? { dbm: rssi, measure: "rssi" } : null;
    }
    return null;
  }
  return null;
}

export const quectelEc25 = defineProfile(generic, {
  id: "quectel-ec25",
  name: "Quectel EC25/EG25",
  usb: [
    { vendorId: "2c7c", productId: "0125", atInterface: 2 },
    { vendorId: "2c7c", productId: "0121", atInterface: 2 }, // EC21
  ],
  match: { manufacturer: /quectel/i, model: /^E[CG]2[15]/i },
  iccid: { command: "AT+QCCID", prefix: "+QCCID:" },
  // Out of the box the EC25 receives into "SM"; what is already there when the gateway first selects
  // "ME" is read first, from the previous <mem1>/<mem3> (sms-setup.ts leftoverStorage).
  storages: { read: "ME", write: "ME", receive: "ME" },
  statusReportStorage: "SR",
  indexBase: 0,
  receive: "cmti",
  statusReports: "cdsi",
  cnma: false,
  smsReady: { urc: "+QIND: SMS DONE", maxWaitMs: 30_000 },
  pinAttempts: { command: "AT+QPINC?", parse: parseQpinc },
  signal: [{ command: "AT+QCSQ", parse: parseQcsq }],
  // Manual AT+CMGS: "Maximum Response Time 120 s, determined by network".
  timeouts: { commandMs: 5_000, promptMs: 5_000, cmgsMs: 125_000, resetMs: 30_000 },
  cfunReset: true,
  ignoreUrcs: ["RDY", "+QIND: PB DONE", "+QUSIM:", "+CFUN:", "+CPIN: READY", "POWERED DOWN"],
});
