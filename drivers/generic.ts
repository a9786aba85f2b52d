/**
 * Generic 27.005/27.007 modem: only standard commands, conservative choices. Used when no vendor
 * profile matches, and as the base that vendor profiles override.
 */
import { afterPrefix, findAfter } from "../src/modem/parse.js";
import type { ModemProfile, PinAttempts } from "./types.js";

/**
 * 27.007 §8.65 +CPINR: one line per password, e.g. `+CPINR: "SIM PIN",3,3` (<code>,<retries>,
 * <default retries>). Transcript: nrfconnect cellular monitor tests (`+CPINR: "SIM PUK",3`).
 */
export function parseCpinr(lines: readonly string[]): PinAttempts | null {
  let pin: number | null = null;
  let puk: number | null = null;
  for (const line of lines) {
    const rest = afterPrefix(line, "+CPINR:");
    if (rest === null) continue;
    const m = /^"?([^",]+)"?\s*,\s*(\d+)/.exec(rest);
    if (!m) continue;
    const n = Number.parseInt(m[2] ?? "", 10);
    if (m[1] === "SIM PIN") pin = n;
    else if (m[1] === "SIM PUK") puk = n;
  }
  return pin === null && puk === null ? null : { pin, puk };
}

/** ICCID answers vary: `+CCID: 8944…`, `+ICCID: …`, `^ICCID: …`, `+QCCID: …` or a bare number. Some
 * firmware swaps the nibbles or pads with F (ModemManager mm_3gpp_parse_iccid); we keep digits only. */
export function parseIccidLines(lines: readonly string[], prefix: string | null): string | null {
  for (const line of lines) {
    const rest = prefix ? afterPrefix(line, prefix) : line.trim();
    if (rest === null) continue;
    let digits = rest
      .replace(/"/g, "")
      .trim()
      .replace(/[fF]+$/, "");
    if (!/^\d{18,22}$/.test(digits)) continue;
    // E.118: every ICCID starts with the telecom prefix 89. A "98…" answer is the raw EF_ICCID with
    // nibbles swapped, as some firmware prints it: swap back.
    if (digits.startsWith("98")) digits = digits.replace(/(.)(.)/g, "$2$1");
    return digits;
  }
  return null;
}

/** Bare numeric answer (+CGSN IMEI, +CIMI IMSI), tolerating a "+CGSN: " prefix some firmware adds. */
export function parseNumericAnswer(lines: readonly string[], prefix: string, min = 6): string | null {
  for (const line of lines) {
    const rest = (afterPrefix(line, prefix) ?? line).replace(/"/g, "").trim();
    if (new RegExp(`^\\d{${min},}$`).test(rest)) return rest;
  }
  return null;
}

/** +CGMI/+CGMM/+CGMR answers: a bare text line, sometimes prefixed ("+CGMI: SIMCOM_Ltd"). */
export function parseTextAnswer(lines: readonly string[], prefix: string): string | null {
  const prefixed = findAfter(lines, prefix);
  if (prefixed) return prefixed;
  const first = lines.find((l) => l.trim() !== "");
  return first ? first.trim() : null;
}

export const generic: ModemProfile = Object.freeze({
  id: "generic",
  name: "Generic 27.005/27.007 modem",
  usb: [],
  match: {},
  iccid: { command: "AT+CCID", prefix: "+CCID:" },
  init: [],
  storages: { read: "SM", write: "SM", receive: "SM" },
  statusReportStorage: null,
  indexBase: 1,
  // Without knowing the firmware, store-then-read is the safe choice: a message stays on the SIM until
  // we delete it, whereas an unacknowledged +CMT is lost or redelivered depending on the firmware.
  receive: "cmti",
  statusReports: "cds",
  cnma: false,
  smsReady: null,
  pinAttempts: { command: "AT+CPINR", parse: parseCpinr },
  signal: [],
  timeouts: { commandMs: 5_000, promptMs: 5_000, cmgsMs: 65_000, resetMs: 30_000 },
  cfunReset: true,
  ignoreUrcs: [],
});
