/**
 * SIMCom SIM7500/SIM7600 (LTE Cat-1/Cat-4). USB 1e0e:9001, AT port on interface 2 (ttyUSB2 with the
 * option driver). Sources: SIM7500_SIM7600 Series AT Command Manual V1.08 (AT+CPSI?, AT+CICCID,
 * AT+SPIC); "+CPSI: LTE,Online,404-45,0x21F9,322642,453,EUTRAN-BAND40,39275,4,4,-168,-1126,-773,7"
 * is the manual's own sample (RSRQ/RSRP/RSSI in 1/10 dB).
 */
import { afterPrefix, intParam, splitParams } from "../src/modem/parse.js";
import { generic } from "./generic.js";
import { parseSpic } from "./simcom-sim800.js";
import { defineProfile, type SignalReading } from "./types.js";

/** Some firmware prints tenths of a dB, some whole dB: RSRP is −44…−140 dBm, so |v| > 200 is tenths. */
function dbOrTenths(v: number): number {
  return Math.abs(v) > 200 ? Math.round(v / 10) : v;
}

/**
 * +CPSI: <mode>,<op mode>,…  LTE: …,<band>,<earfcn>,<dlbw>,<ulbw>,<RSRQ>,<RSRP>,<RSSI>,<RSSNR>
 * (RSRP is field 11); GSM: <mode>,<op>,<mcc-mnc>,<lac>,<cell>,<arfcn>,<RxLev dBm>,… (field 6).
 * "NO SERVICE" and the WCDMA form give null, and the caller falls back to +CSQ.
 */
export function parseCpsi(lines: readonly string[]): SignalReading | null {
  for (const line of lines) {
    const rest = afterPrefix(line, "+CPSI:");
    if (rest === null) continue;
    const p = splitParams(rest);
    const mode = p[0]?.value.toUpperCase();
    if (mode === "LTE") {
      const rsrp = intParam(p[11]);
      return rsrp === null || rsrp === 0 ? null : { dbm: dbOrTenths(rsrp), measure: "rsrp" };
    }
    if (mode === "GSM") {
      const rxlev = intParam(p[6]);
      return rxlev === null || rxlev >= 0 ? null : { dbm: rxlev, measure: "rssi" };
    }
    return null;
  }
  return null;
}

export const simcomSim7600 = defineProfile(generic, {
  id: "simcom-sim7600",
  name: "SIMCom SIM7500/SIM7600",
  usb: [{ vendorId: "1e0e", productId: "9001", atInterface: 2 }],
  match: { manufacturer: /SIMCOM/i, model: /SIM7[56]\d\d/i },
  iccid: { command: "AT+CICCID", prefix: "+ICCID:" },
  // Manual §4.x +CPMS: "SR" holds status reports when +CNMI <ds>=2.
  storages: { read: "ME", write: "ME", receive: "ME" },
  statusReportStorage: "SR",
  indexBase: 0,
  receive: "cmti",
  statusReports: "cdsi",
  cnma: false,
  smsReady: { urc: "SMS DONE", maxWaitMs: 30_000 },
  pinAttempts: { command: "AT+SPIC", parse: parseSpic },
  signal: [{ command: "AT+CPSI?", parse: parseCpsi }],
  timeouts: { commandMs: 5_000, promptMs: 5_000, cmgsMs: 65_000, resetMs: 30_000 },
  cfunReset: true,
  ignoreUrcs: ["RDY", "+CFUN:", "PB DONE", "+CPIN: READY", "VOICE CALL:", "+CGEV:"],
});
