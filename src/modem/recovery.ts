/**
 * Recovery ladder for a live modem (zwave-js handleMissingControllerACK, ARCHITECTURE §2.6):
 *   1. AT ping                      — a single lost answer;
 *   2. ESC + full re-init           — a stuck "> " prompt, a modem that rebooted on its own;
 *   3. AT+CFUN=1,1, then re-init    — a wedged radio stack, where the profile allows a reset;
 *   4. give up: close the channel   — the supervisor recreates transport, channel and modem.
 * Each rung is logged once at warn with the reason that started the climb.
 */
import type { LoggerLike } from "./log.js";

export interface LadderRungs {
  ping(): Promise<boolean>;
  reinit(): Promise<boolean>;
  /** Null when the profile forbids AT+CFUN=1,1. */
  readonly reset: (() => Promise<boolean>) | null;
  close(reason: string): Promise<void>;
}

export type LadderResult =
  | { readonly outcome: "recovered"; readonly rung: 1 | 2 | 3 }
  | { readonly outcome: "closed" };

async function attempt(f: () => Promise<boolean>, log: LoggerLike, rung: string): Promise<boolean> {
  try {
    return await f();
  } catch (e) {
    log.debug({ rung, err: String(e) }, "recovery rung failed");
    return false;
  }
}

export async function climbLadder(
  reason: string,
  rungs: LadderRungs,
  log: LoggerLike,
): Promise<LadderResult> {
  log.warn({ reason, rung: "ping" }, "modem suspect: pinging with AT");
  if (await attempt(() => rungs.ping(), log, "ping")) return { outcome: "recovered", rung: 1 };
  log.warn({ reason, rung: "reinit" }, "modem did not answer AT: escaping and re-initialising");
  if (await attempt(() => rungs.reinit(), log, "reinit")) return { outcome: "recovered", rung: 2 };
  if (rungs.reset) {
    const reset = rungs.reset;
    log.warn({ reason, rung: "reset" }, "re-init failed: resetting the modem with AT+CFUN=1,1");
    if (await attempt(() => reset(), log, "reset")) return { outcome: "recovered", rung: 3 };
  }
  log.warn(
    { reason, rung: "reopen" },
    "modem unrecoverable in place: closing the port for the supervisor to reopen",
  );
  await rungs.close(reason);
  return { outcome: "closed" };
}
