/**
 * Health poll: signal (vendor LTE query first, then 27.007 §8.5 +CSQ), registration over CS/PS/EPS
 * (+CREG/+CGREG/+CEREG, the best one counts since SMS can use any of them), operator (+COPS?) and
 * storage fill (+CPMS?). An ERROR on any query just leaves that field unknown; a missing answer is
 * thrown so the modem can start its recovery ladder.
 *
 * A routine poll (one given `details`) stops reading registration at the first domain that reports
 * "home" (27.007 §7.2 <stat> 1): no other domain can rank higher, and most modems register CS, so a
 * stable poll is two commands, not four. Operator and storage are the "details": the timer asks for
 * them every few polls and whenever the registration it knew has changed (modem.ts), since an idle
 * modem otherwise answers the same. A poll without `details` reads everything, as it always did.
 */
import type { ModemProfile } from "../../drivers/types.js";
import type { Exec } from "./command.js";
import {
  bestRegistration,
  firstParsed,
  parseCops,
  parseCpms,
  parseCsq,
  parseRegistration,
  type Registration,
} from "./parse.js";

export interface HealthReading {
  readonly signalDbm: number | null;
  readonly signalMeasure: "rssi" | "rsrp" | null;
  readonly registration: Registration;
  /** null when the details were not read (and the previous values still stand). */
  readonly operator: string | null;
  readonly storage: { readonly used: number; readonly total: number } | null;
  /** True when +COPS? and +CPMS? were read (operator and storage are then this poll's). */
  readonly details: boolean;
}

async function okLines(exec: Exec, line: string): Promise<readonly string[] | null> {
  const r = await exec(line);
  return r.final.kind === "ok" ? r.lines : null;
}

export async function readSignal(
  exec: Exec,
  profile: ModemProfile,
): Promise<{ dbm: number | null; measure: "rssi" | "rsrp" | null }> {
  for (const q of profile.signal) {
    const lines = await okLines(exec, q.command);
    const v = lines ? q.parse(lines) : null;
    if (v) return { dbm: v.dbm, measure: v.measure };
  }
  const lines = await okLines(exec, "AT+CSQ");
  const csq = lines ? firstParsed(lines, parseCsq) : null;
  return { dbm: csq?.dbm ?? null, measure: csq?.dbm != null ? "rssi" : null };
}

export async function readRegistration(exec: Exec, untilHome: boolean): Promise<Registration> {
  const regs: Registration[] = [];
  for (const q of ["AT+CREG?", "AT+CGREG?", "AT+CEREG?"]) {
    for (const line of (await okLines(exec, q)) ?? []) {
      const reg = parseRegistration(line, "solicited");
      if (reg) regs.push(reg.registration);
    }
    if (untilHome && regs.includes("home")) break;
  }
  return bestRegistration(regs);
}

/** `details` (a routine poll) says, from the registration just read, whether to read operator and storage. */
export async function pollHealth(
  exec: Exec,
  profile: ModemProfile,
  receiveStorage: string | null,
  details?: (registration: Registration) => boolean,
): Promise<HealthReading> {
  const signal = await readSignal(exec, profile);
  const registration = await readRegistration(exec, details !== undefined);
  const base = { signalDbm: signal.dbm, signalMeasure: signal.measure, registration };
  if (details && !details(registration)) return { ...base, operator: null, storage: null, details: false };
  const cops = await okLines(exec, "AT+COPS?");
  const op = cops ? firstParsed(cops, parseCops) : null;
  const cpms = await okLines(exec, "AT+CPMS?");
  const fill = cpms ? firstParsed(cpms, parseCpms) : null;
  const mem = fill?.find((f) => f.mem !== null && f.mem === receiveStorage) ?? fill?.[2] ?? fill?.[0] ?? null;
  return {
    ...base,
    operator: op?.operator ?? null,
    storage: mem ? { used: mem.used, total: mem.total } : null,
    details: true,
  };
}
