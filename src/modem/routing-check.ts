/**
 * Run-time check that the modem still routes new messages the way init set it (27.005 §3.4.1 +CNMI).
 *
 * A modem with +CSMS=1 that gets no AT+CNMA for a +CMT/+CDS within the network timeout turns routing
 * to the TE off by setting <mt> and <ds> to 0 (27.005 §3.4.4). Nothing tells the TE: later messages
 * are stored without +CMTI (<mt>=0), nothing reads them, and once the storage is full the network
 * holds the rest. Init refuses a leftover indication (init.ts), but a handler slower than the
 * timeout, or an indication that arrives while init runs, can still trip it; so the health poll reads
 * AT+CNMI? and, when <mode>, <mt> or <ds> is not what was set, sets it again and has storage swept.
 */
import type { Exec } from "./command.js";
import type { LoggerLike } from "./log.js";
import { afterPrefix, intParam, splitParams } from "./parse.js";
import type { SmsSetup } from "./sms-setup.js";

/** <mode>,<mt>,<bm>,<ds>,<bfr> of "+CNMI: 2,2,0,1,0" or of "AT+CNMI=2,2,0,1,0"; null when unreadable. */
export function parseCnmiValues(text: string): readonly number[] | null {
  const rest = afterPrefix(text, "+CNMI:") ?? /^AT\+CNMI=(.*)$/i.exec(text.trim())?.[1] ?? null;
  if (rest === null) return null;
  const values = splitParams(rest).map((p) => intParam(p));
  if (values.length < 4 || values.some((v) => v === null)) return null;
  return values as number[];
}

/** Indexes of <mode>, <mt> and <ds>: the fields whose change stops or buffers indications. */
const WATCHED = [0, 1, 3] as const;

/**
 * Reads AT+CNMI? and restores the setting of `setup` when the modem changed it. Resolves true when
 * it did (the caller then sweeps storage with AT+CMGL, since messages may have been stored silently
 * meanwhile), false when routing is as set or cannot be read (an ERROR leaves things as they are; a
 * missing answer is thrown, like every other health query).
 */
export async function restoreRouting(exec: Exec, setup: SmsSetup, log: LoggerLike): Promise<boolean> {
  const want = parseCnmiValues(setup.cnmi.command);
  if (!want) return false;
  const r = await exec("AT+CNMI?", { prefixes: ["+CNMI:"] });
  if (r.final.kind !== "ok") return false;
  const line = r.lines.find((l) => parseCnmiValues(l) !== null);
  const have = line ? parseCnmiValues(line) : null;
  if (!have || WATCHED.every((i) => have[i] === want[i])) return false;
  const set = await exec(setup.cnmi.command);
  log.warn(
    { cnmi: have.join(","), restored: set.final.kind === "ok" },
    "new-message routing was turned off by the modem (an indication went unacknowledged); set again, sweeping storage",
  );
  return true;
}
