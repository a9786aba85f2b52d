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
 * A reading that stayed different right after +CNMI was set again: that firmware reports the setting
 * in its own way (it accepted ours), so the same reading is not taken for routing turned off again.
 */
const ownForm = new WeakMap<SmsSetup, string>();

async function readCnmi(exec: Exec): Promise<readonly number[] | null> {
  const r = await exec("AT+CNMI?", { prefixes: ["+CNMI:"] });
  if (r.final.kind !== "ok") return null;
  const line = r.lines.find((l) => parseCnmiValues(l) !== null);
  return line ? parseCnmiValues(line) : null;
}

/**
 * Reads AT+CNMI? and restores the setting of `setup` when the modem changed it. Resolves true when
 * it did (the caller then sweeps storage with AT+CMGL, since messages may have been stored silently
 * meanwhile), false when routing is as set or cannot be read (an ERROR leaves things as they are; a
 * missing answer is thrown, like every other health query).
 */
export async function restoreRouting(exec: Exec, setup: SmsSetup, log: LoggerLike): Promise<boolean> {
  const want = parseCnmiValues(setup.cnmi.command);
  if (!want) return false;
  const have = await readCnmi(exec);
  const differs = (v: readonly number[]) => WATCHED.some((i) => v[i] !== want[i]);
  if (!have || !differs(have) || ownForm.get(setup) === have.join(",")) return false;
  const set = await exec(setup.cnmi.command);
  const after = set.final.kind === "ok" ? await readCnmi(exec) : null;
  if (after && differs(after)) ownForm.set(setup, after.join(","));
  log.warn(
    { cnmi: have.join(","), restored: set.final.kind === "ok" },
    "new-message routing was turned off by the modem (an indication went unacknowledged); set again, sweeping storage",
  );
  return true;
}
