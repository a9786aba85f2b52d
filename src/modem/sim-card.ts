/**
 * SIM unlocking with a PIN guard (Gammu #458, MKRGSM #98: a wrong PIN retried until the SIM needs
 * its PUK). Rules:
 *  - a configured PIN is entered at most once per SIM unless the SIM accepted it before (then it is
 *    known good and may be entered again after the modem reset itself);
 *  - a PIN the SIM rejected is never entered again for that SIM, across re-inits and recreations
 *    (PinMemory lives in the registry, keyed by ICCID, or IMEI while the ICCID is unreadable);
 *  - nothing is entered when the SIM reports one attempt or fewer left;
 *  - at "SIM PUK" we stop and report: the PUK is for a person to enter.
 * PINs are held only as salted hashes here, and never appear in logs or error messages.
 */
import { createHash, randomBytes } from "node:crypto";
import type { ModemProfile, PinAttempts } from "../../drivers/types.js";
import { asChannelFailure, type Exec } from "./command.js";
import type { LoggerLike } from "./log.js";
import { parseCpin } from "./parse.js";

export class PinMemory {
  readonly #salt = randomBytes(16).toString("hex");
  readonly #rejected = new Set<string>();
  readonly #accepted = new Set<string>();
  readonly #tried = new Set<string>();

  #h(key: string, pin: string): string {
    return createHash("sha256").update(`${this.#salt}\0${key}\0${pin}`).digest("hex");
  }
  isRejected(key: string, pin: string): boolean {
    return this.#rejected.has(this.#h(key, pin));
  }
  wasAccepted(key: string, pin: string): boolean {
    return this.#accepted.has(this.#h(key, pin));
  }
  wasTried(key: string, pin: string): boolean {
    return this.#tried.has(this.#h(key, pin));
  }
  markTried(key: string, pin: string): void {
    this.#tried.add(this.#h(key, pin));
  }
  markRejected(key: string, pin: string): void {
    this.#rejected.add(this.#h(key, pin));
  }
  markAccepted(key: string, pin: string): void {
    this.#accepted.add(this.#h(key, pin));
  }
}

export type SimOutcome =
  | { readonly state: "ready" }
  | { readonly state: "pin-required" | "puk-required" | "failed"; readonly reason: string };

export interface SimDeps {
  readonly exec: Exec;
  readonly log: LoggerLike;
  readonly profile: ModemProfile;
  readonly pin: string | undefined;
  readonly memory: PinMemory;
  /** ICCID, or "imei:<IMEI>" when the ICCID cannot be read while the SIM is locked. */
  readonly key: string;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /** How long "SIM busy" (CME 14) may last at boot before we give up, ms. */
  readonly busyMaxMs?: number;
}

type Read = { code: string } | { error: number };

async function readCpin(d: SimDeps): Promise<Read> {
  const r = await d.exec("AT+CPIN?");
  if (r.final.kind === "ok") {
    for (const line of r.lines) {
      const code = parseCpin(line);
      if (code !== null) return { code };
    }
    return { code: "" };
  }
  if (r.final.kind === "cme" || r.final.kind === "cms") return { error: r.final.code };
  return { error: -1 };
}

async function attempts(d: SimDeps): Promise<PinAttempts | null> {
  const q = d.profile.pinAttempts;
  if (!q) return null;
  try {
    const r = await d.exec(q.command);
    return r.final.kind === "ok" ? q.parse(r.lines) : null;
  } catch (e) {
    if (asChannelFailure(e)?.kind === "closed") throw e;
    return null;
  }
}

/** 27.007 §9.2.1: 10 not inserted, 11 PIN required, 12 PUK required, 13 failure, 14 busy, 16 incorrect password. */
export async function unlockSim(d: SimDeps): Promise<SimOutcome> {
  const deadline = d.now() + (d.busyMaxMs ?? 20_000);
  let entered = false;
  for (;;) {
    const s = await readCpin(d);
    // 14 SIM busy; a bare ERROR (-1) from firmware that answers +CPIN? that way while booting.
    const busy = "error" in s && (s.error === 14 || s.error === 515 || s.error === 302 || s.error === -1);
    if (busy || ("code" in s && s.code === "")) {
      if (d.now() >= deadline) return { state: "failed", reason: "SIM stayed busy or unreadable" };
      await d.sleep(1000);
      continue;
    }
    const code = "code" in s ? s.code : s.error === 11 ? "SIM PIN" : s.error === 12 ? "SIM PUK" : null;
    if (code === "READY") return { state: "ready" };
    if (code === "SIM PUK") return { state: "puk-required", reason: "SIM requires its PUK" };
    if (code === null) {
      const e = (s as { error: number }).error;
      return { state: "failed", reason: e === 10 ? "SIM not inserted" : `SIM failure (+CME ERROR: ${e})` };
    }
    if (code !== "SIM PIN") return { state: "pin-required", reason: `SIM requires ${code}` };
    if (entered) {
      // Accepted, but the SIM still asks: it is still settling.
      if (d.now() >= deadline) return { state: "pin-required", reason: "SIM still asks for its PIN" };
      await d.sleep(1000);
      continue;
    }
    const refusal = await mayEnter(d);
    if (refusal) return { state: "pin-required", reason: refusal };
    const pin = d.pin as string;
    d.memory.markTried(d.key, pin);
    entered = true;
    d.log.info("entering the configured SIM PIN");
    const r = await d.exec(`AT+CPIN="${pin}"`, { sensitive: true });
    if (r.final.kind === "ok") {
      d.memory.markAccepted(d.key, pin);
      continue;
    }
    if (r.final.kind === "cme" && (r.final.code === 16 || r.final.code === 12)) {
      d.memory.markRejected(d.key, pin);
      d.log.error("the SIM rejected the configured PIN; it will not be entered again");
      const after = await readCpin(d);
      if ("code" in after && after.code === "SIM PUK")
        return { state: "puk-required", reason: "SIM requires its PUK" };
      return { state: "pin-required", reason: "the configured PIN was rejected" };
    }
    return { state: "pin-required", reason: "PIN entry failed; not retried" };
  }
}

async function mayEnter(d: SimDeps): Promise<string | null> {
  const pin = d.pin;
  if (pin === undefined || pin === "") return "SIM requires a PIN and none is configured";
  if (!/^\d{4,8}$/.test(pin)) return "the configured PIN is not 4 to 8 digits (27.007 §8.3); not entered";
  if (d.memory.isRejected(d.key, pin)) return "the configured PIN was rejected before; not retried";
  if (d.memory.wasTried(d.key, pin) && !d.memory.wasAccepted(d.key, pin))
    return "the configured PIN was already entered once without a clear answer; not retried";
  const left = await attempts(d);
  if (left && left.pin !== null && left.pin <= 1)
    return `only ${left.pin} PIN attempt(s) left; enter the PIN by hand`;
  return null;
}
