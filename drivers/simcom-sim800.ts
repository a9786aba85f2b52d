/**
 * SIMCom SIM800/SIM800L/SIM800C/SIM900 (2G). Usually wired through a USB-UART bridge (CH340, CP2102,
 * PL2303), so the USB identity is the bridge's, not the modem's: it is matched on +CGMI/+CGMM.
 * Sources: SIM800 Series AT Command Manual V1.09 (§3.2.x, "Call Ready"/"SMS Ready" URCs after boot;
 * AT+CMGS max response time 60 s); oFono drivers/atmodem/sim.c at_spic_cb (+SPIC field order).
 */
import { afterPrefix, intParam, splitParams } from "../src/modem/parse.js";
import { generic } from "./generic.js";
import { defineProfile, type PinAttempts } from "./types.js";

/** SIMCom +SPIC: <pin1>,<puk1>,<pin2>,<puk2> (oFono at_spic_cb reads PIN, PUK, PIN2, PUK2). */
export function parseSpic(lines: readonly string[]): PinAttempts | null {
  for (const line of lines) {
    const rest = afterPrefix(line, "+SPIC:");
    if (rest === null) continue;
    const p = splitParams(rest);
    const pin = intParam(p[0]);
    if (pin === null) return null;
    return { pin, puk: intParam(p[1]) };
  }
  return null;
}

export const simcomSim800 = defineProfile(generic, {
  id: "simcom-sim800",
  name: "SIMCom SIM800/SIM900",
  usb: [],
  match: { manufacturer: /SIMCOM/i, model: /SIM(8\d\d|9\d\d)/i },
  // SIM800 manual §6.2.x: AT+CCID answers the bare ICCID on its own line.
  iccid: { command: "AT+CCID", prefix: null },
  storages: { read: "SM", write: "SM", receive: "SM" },
  indexBase: 1,
  // SIM800 implements +CSMS=1 / +CNMA (manual §4.2): direct delivery, acknowledged after our commit.
  receive: "cmt",
  statusReports: "cds",
  cnma: true,
  // "SMS Ready" arrives a few seconds after "Call Ready"; until then SMS commands answer
  // +CMS ERROR: 302 (or 500 on some firmware).
  smsReady: { urc: "SMS Ready", maxWaitMs: 30_000 },
  pinAttempts: { command: "AT+SPIC", parse: parseSpic },
  timeouts: { commandMs: 5_000, promptMs: 5_000, cmgsMs: 65_000, resetMs: 15_000 },
  cfunReset: true,
  ignoreUrcs: ["Call Ready", "+CFUN:", "*PSUTTZ:", "DST:", "+CIEV:", "RDY"],
});
