/** The SMS configuration init settled on, and the +CNMI candidates it tries (27.005 §3.4.1). */
import type { ModemProfile } from "../../drivers/types.js";
import type { StorageFill } from "./parse.js";

export interface CnmiChoice {
  readonly command: string;
  /** <mt>=2: "+CMT" direct; <mt>=1: "+CMTI" stored. */
  readonly receive: "cmt" | "cmti";
  /** <ds>=1: "+CDS" direct; <ds>=2: "+CDSI" stored; <ds>=0: none. */
  readonly statusReports: "cds" | "cdsi" | "none";
}

export interface SmsSetup {
  /** +CPMS as selected; `read` is the profile's, or for one run a leftover storage (leftoverStorage). */
  readonly storages: { readonly read: string; readonly write: string; readonly receive: string };
  /** The <mem1> selected after init; reads in other storages switch and restore it. */
  readonly readStorage: string;
  /** +CSMS=1 is in force and +CMT/+CDS must be acknowledged with +CNMA (27.005 §3.4.4). */
  readonly cnmaActive: boolean;
  readonly cnmi: CnmiChoice;
  readonly smsc: string | null;
  readonly storageFill: { readonly used: number; readonly total: number } | null;
}

/**
 * AT+CNMI=<mode>,<mt>,<bm>,<ds>,<bfr>. <mode>=2 buffers indications while the link is busy (a
 * command in flight) and flushes them after. Preferred setting first, then fallbacks: +CMT only
 * when +CNMA is available (without it a +CMT is acknowledged by the modem before we stored it), then
 * the other status-report route, then no status reports rather than no SMS at all.
 */
export function cnmiCandidates(profile: ModemProfile, cnmaActive: boolean): CnmiChoice[] {
  const mts: Array<[1 | 2, "cmt" | "cmti"]> =
    profile.receive === "cmt" && cnmaActive
      ? [
          [2, "cmt"],
          [1, "cmti"],
        ]
      : [[1, "cmti"]];
  const dss: Array<[0 | 1 | 2, CnmiChoice["statusReports"]]> =
    profile.statusReports === "cdsi"
      ? [
          [2, "cdsi"],
          [1, "cds"],
          [0, "none"],
        ]
      : [
          [1, "cds"],
          [2, "cdsi"],
          [0, "none"],
        ];
  const out: CnmiChoice[] = [];
  for (const [mt, receive] of mts)
    for (const [ds, statusReports] of dss)
      out.push({ command: `AT+CNMI=2,${mt},0,${ds},0`, receive, statusReports });
  return out;
}

/**
 * The storage that still holds messages from before our configuration, if any: the <mem1> or <mem3>
 * the modem reported (AT+CPMS?, 27.005 §3.2.2) before init selects the profile's storages. An EC25
 * stores in "SM" until it is told "ME"; what arrived before the gateway first configured it would
 * never be listed again once <mem1> is "ME". Init keeps <mem1> there for this run so the start sweep
 * reads, stores and then deletes those messages; the next init, finding it empty, switches. Storages
 * the receiver sweeps anyway, and "BM" (cell broadcast), are not leftovers.
 */
export function leftoverStorage(profile: ModemProfile, before: readonly StorageFill[] | null): string | null {
  const { read, receive } = profile.storages;
  const sr = profile.statusReports === "cdsi" ? profile.statusReportStorage : null;
  const swept = new Set([read, receive, ...(sr ? [sr] : []), "BM"].map((m) => m.toUpperCase()));
  for (const f of [before?.[0], before?.[2]]) {
    const mem = f?.mem?.toUpperCase();
    if (f && mem && f.used > 0 && !swept.has(mem)) return mem;
  }
  return null;
}
