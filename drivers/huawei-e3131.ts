/**
 * Huawei E3131 / E3372 / E1550-family sticks in "stick" (modem) mode, vendor 12d1. In HiLink mode
 * (12d1:14db, 12d1:14dc) the stick is a USB Ethernet router with no AT port at all (chan-dongle #279):
 * isHiLink() lets the caller say so plainly instead of timing out.
 * Sources: ModemManager plugins/huawei (vendor 12d1; ^RSSI/^MODE/^DSFLOWRPT unsolicited handlers;
 * ^ICCID); oFono drivers/atmodem/sim.c huawei_cpin_cb (^CPIN field order).
 */
import { afterPrefix, intParam, splitParams } from "../src/modem/parse.js";
import { generic } from "./generic.js";
import { defineProfile, type PinAttempts, type UsbFingerprint } from "./types.js";

/**
 * ^CPIN: <code>,[<times>],<puk_times>,<pin_times>,<puk2_times>,<pin2_times>
 * e.g. "^CPIN: SIM PIN,3,10,3,10,3"; oFono skips <code> and the overall <times>.
 */
export function parseHuaweiCpin(lines: readonly string[]): PinAttempts | null {
  for (const line of lines) {
    const rest = afterPrefix(line, "^CPIN:");
    if (rest === null) continue;
    const p = splitParams(rest);
    const puk = intParam(p[2]);
    const pin = intParam(p[3]);
    if (pin === null && puk === null) return null;
    return { pin, puk };
  }
  return null;
}

/** HiLink product ids: CDC-Ethernet firmware, no serial AT interface. */
const HILINK_PRODUCTS = new Set(["14db", "14dc", "1f01"]);

export function isHiLink(usb: { vendorId?: string; productId?: string }): boolean {
  return usb.vendorId?.toLowerCase() === "12d1" && HILINK_PRODUCTS.has(usb.productId?.toLowerCase() ?? "");
}

const stickModes: UsbFingerprint[] = [
  // 1506: E3131/E3372 after usb_modeswitch into modem mode; 1001/1003: E169/E1550/E1750 family.
  // The PC-UI (AT) interface number varies with firmware, so it is probed rather than fixed.
  { vendorId: "12d1", productId: "1506" },
  { vendorId: "12d1", productId: "1001" },
  { vendorId: "12d1", productId: "1003" },
  { vendorId: "12d1", productId: "1436" },
];

export const huaweiE3131 = defineProfile(generic, {
  id: "huawei-e3131",
  name: "Huawei E3131/E3372 (stick mode)",
  usb: stickModes,
  match: { manufacturer: /huawei/i, model: /^E(3131|3372|3531|353|1550|1750|173|169)/i },
  iccid: { command: "AT^ICCID?", prefix: "^ICCID:" },
  // Silence the periodic ^RSSI/^DSFLOWRPT/^MODE reports: they interleave with command answers on the
  // same port and, on a Pi, are most of the traffic.
  init: ["AT^CURC=0"],
  storages: { read: "SM", write: "SM", receive: "SM" },
  indexBase: 0,
  receive: "cmti",
  statusReports: "cds",
  cnma: false,
  smsReady: null,
  pinAttempts: { command: "AT^CPIN?", parse: parseHuaweiCpin },
  timeouts: { commandMs: 5_000, promptMs: 5_000, cmgsMs: 65_000, resetMs: 30_000 },
  // After AT+CFUN=1,1 the stick re-enumerates in its default (CD-ROM/HiLink) mode until
  // usb_modeswitch runs again (Gammu #223), which we cannot do from the AT port.
  cfunReset: false,
  ignoreUrcs: [
    "^RSSI:",
    "^DSFLOWRPT:",
    "^MODE:",
    "^BOOT:",
    "^SRVST:",
    "^SIMST:",
    "^HCSQ:",
    "^STIN:",
    "^NWTIME:",
    "^CSNR:",
    "^RSSILVL:",
    "^HRSSILVL:",
  ],
});
