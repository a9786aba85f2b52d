/**
 * Init sequence (warthog618/modem Init, ModemManager's probing, 27.005 §3):
 *   ESC → AT → ATE0 → AT+CMEE=1 → +CGMI/+CGMM/+CGMR/+CGSN → profile → ICCID → AT+CPIN? (PIN guard)
 *   → AT+CIMI → AT+CPMS? until SMS is ready → AT+CMGF=0 → [AT+CSMS=1 → AT+CNMA=2] → AT+CPMS=…
 *   → AT+CNMI=… → AT+CSCA? → profile extra init.
 * Every step that is optional in the field (identity, ICCID, IMSI, SMSC, vendor init) tolerates an
 * error; the ones SMS depends on do not.
 */

import { parseIccidLines, parseNumericAnswer, parseTextAnswer } from "../../drivers/generic.js";
import { type ProfileHints, profileById, resolveProfile } from "../../drivers/index.js";
import type { ModemProfile } from "../../drivers/types.js";
import type { AtChannelLike } from "../at/types.js";
import { isNotReadyCms } from "./cms-errors.js";
import { CommandFailed, type Exec, expectOk } from "./command.js";
import type { LoggerLike } from "./log.js";
import { firstParsed, parseCpms, parseCsca, parseCsms } from "./parse.js";
import { type PinMemory, type SimOutcome, unlockSim } from "./sim-card.js";
import { cnmiCandidates, leftoverStorage, type SmsSetup } from "./sms-setup.js";
import type { ModemIdentity } from "./types.js";

export interface InitDeps {
  readonly channel: AtChannelLike;
  readonly exec: Exec;
  readonly log: LoggerLike;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  readonly hints: ProfileHints;
  /** Force a profile by id (configuration), instead of resolving it. */
  readonly profileId?: string;
  readonly pin?: string;
  readonly pinMemory: PinMemory;
  /** Called as soon as the profile is known, so command timeouts follow it. */
  readonly onProfile: (p: ModemProfile) => void;
  /** Boot budget of "AT" attempts before the modem counts as unresponsive. */
  readonly pingAttempts?: number;
}

export interface InitResult {
  readonly identity: ModemIdentity;
  readonly profile: ModemProfile;
  readonly sim: SimOutcome;
  /** Null unless the SIM is ready. */
  readonly sms: SmsSetup | null;
}

async function optional(exec: Exec, line: string, prefixes?: string[]): Promise<readonly string[] | null> {
  try {
    const r = await exec(line, prefixes ? { prefixes } : undefined);
    return r.final.kind === "ok" ? r.lines : null;
  } catch (e) {
    if ((e as { kind?: string }).kind === "closed") throw e;
    return null;
  }
}

async function ping(d: InitDeps): Promise<void> {
  const attempts = d.pingAttempts ?? 3;
  for (let i = 1; ; i++) {
    try {
      // A modem still powering up does not answer (the simulated personas' boot, real sticks after a
      // USB reset): only the last attempt's timeout is worth a warning.
      const r = await d.exec("AT", { timeoutMs: 2_000, expectTimeout: i < attempts });
      if (r.final.kind === "ok") return;
    } catch (e) {
      if ((e as { kind?: string }).kind === "closed" || i >= attempts) throw e;
    }
    if (i >= attempts) throw new Error("modem does not answer AT");
  }
}

export async function runInit(d: InitDeps): Promise<InitResult> {
  const { exec, log } = d;
  // warthog618/modem Init: ESC first, in case a previous session left the modem at a "> " prompt.
  await d.channel.escape();
  await ping(d);
  await expectOk(exec, "ATE0");
  await expectOk(exec, "AT+CMEE=1");
  const manufacturer = parseLines(await optional(exec, "AT+CGMI"), "+CGMI:");
  const model = parseLines(await optional(exec, "AT+CGMM"), "+CGMM:");
  const revision = parseLines(await optional(exec, "AT+CGMR"), "+CGMR:")?.replace(/^Revision:\s*/i, "");
  const imeiLines = await optional(exec, "AT+CGSN");
  const imei = imeiLines ? (parseNumericAnswer(imeiLines, "+CGSN:", 14) ?? undefined) : undefined;
  const forced = d.profileId ? profileById(d.profileId) : undefined;
  if (d.profileId && !forced)
    log.warn({ profileId: d.profileId }, "unknown profile id; resolving from the modem");
  const profile = forced ?? resolveProfile({ ...d.hints, manufacturer, model });
  d.onProfile(profile);
  log.info({ profile: profile.id, manufacturer, model, revision, imei }, "modem identified");

  const readIccid = async () => {
    const { command, prefix } = profile.iccid;
    const lines = await optional(exec, command, prefix ? [prefix] : undefined);
    return lines ? (parseIccidLines(lines, prefix) ?? parseIccidLines(lines, null) ?? undefined) : undefined;
  };
  let iccid = await readIccid();
  const sim = await unlockSim({
    exec,
    log,
    profile,
    pin: d.pin,
    memory: d.pinMemory,
    key: iccid ?? `imei:${imei ?? "unknown"}`,
    sleep: d.sleep,
    now: d.now,
  });
  const base = { manufacturer, model, revision, imei, profile: profile.id };
  if (sim.state !== "ready") return { identity: { ...base, iccid }, profile, sim, sms: null };
  iccid ??= await readIccid();
  const imsiLines = await optional(exec, "AT+CIMI");
  const imsi = imsiLines ? (parseNumericAnswer(imsiLines, "+CIMI:", 6) ?? undefined) : undefined;
  const identity: ModemIdentity = { ...base, iccid, imsi };
  const sms = await setupSms(d, profile);
  for (const line of profile.init) {
    const ok = await optional(exec, line);
    if (!ok) log.warn({ command: line }, "profile init command failed; continuing");
  }
  return { identity, profile, sim, sms };
}

function parseLines(lines: readonly string[] | null, prefix: string): string | undefined {
  return lines ? (parseTextAnswer(lines, prefix) ?? undefined) : undefined;
}

/** Polls AT+CPMS? until the SMS stack answers, waking early on the profile's ready URC. */
async function waitSmsReady(d: InitDeps, profile: ModemProfile): Promise<readonly string[]> {
  let seen = false;
  let wake: (() => void) | null = null;
  const off = profile.smsReady
    ? d.channel.onUrc({
        prefix: profile.smsReady.urc,
        handler: () => {
          seen = true;
          wake?.();
        },
      })
    : () => {};
  const deadline = d.now() + (profile.smsReady?.maxWaitMs ?? 10_000);
  try {
    for (;;) {
      const r = await d.exec("AT+CPMS?");
      if (r.final.kind === "ok") return r.lines;
      const f = r.final;
      // A bare ERROR counts too: without verbose errors some firmware says nothing more while booting.
      const notReady =
        f.kind === "error" ||
        (f.kind === "cms" && isNotReadyCms(f.code)) ||
        (f.kind === "cme" && (f.code === 14 || f.code === 3));
      if (!notReady || d.now() >= deadline) throw new CommandFailed("AT+CPMS?", f);
      if (!seen) {
        await Promise.race([
          d.sleep(Math.min(1_000, Math.max(1, deadline - d.now()))),
          new Promise<void>((r) => (wake = r)),
        ]);
        wake = null;
      }
    }
  } finally {
    off();
  }
}

/**
 * A previous process may have died between a +CMT/+CDS and its AT+CNMA. The modem still waits for
 * that acknowledgement, and when the network timeout expires it sends RP-ERROR and turns routing to
 * the TE off by setting <mt> and <ds> of +CNMI to 0 (27.005 §3.4.4), silently undoing the +CNMI we
 * are about to set. So, before setting it, answer the pending one with AT+CNMA=2 (PDU mode, +CMGF=0
 * is in force: RP-ERROR): the SMSC keeps the message and offers it again, and if it had in fact been
 * committed before the crash the store's dedupe absorbs the copy. With nothing pending the modem
 * answers +CMS ERROR: 340 "no +CNMA acknowledgement expected" (27.005 §3.2.5), the usual case; any
 * other refusal is ignored too, the run-time +CNMI check (routing-check.ts) being the safety net.
 */
async function refuseLeftoverIndication(d: InitDeps): Promise<void> {
  const r = await d.exec("AT+CNMA=2");
  if (r.final.kind === "ok")
    d.log.info(
      "an indication left unacknowledged before this start was refused; the network will offer it again",
    );
  else if (!(r.final.kind === "cms" && r.final.code === 340))
    d.log.debug({ final: r.final }, "AT+CNMA=2 at init refused");
}

async function setupSms(d: InitDeps, profile: ModemProfile): Promise<SmsSetup> {
  const { exec, log } = d;
  const before = firstParsed(await waitSmsReady(d, profile), parseCpms);
  await expectOk(exec, "AT+CMGF=0");
  let cnmaActive = false;
  if (profile.cnma) {
    const r = await exec("AT+CSMS=1");
    const caps = r.final.kind === "ok" ? firstParsed(r.lines, parseCsms) : null;
    cnmaActive = caps?.mt === true;
    if (!cnmaActive) log.warn("AT+CSMS=1 refused: messages will be stored and read instead of acknowledged");
    else await refuseLeftoverIndication(d);
  }
  const { write, receive } = profile.storages;
  const leftover = leftoverStorage(profile, before);
  if (leftover)
    log.info({ storage: leftover }, "messages from before the storage selection: reading them there first");
  let storages = { read: leftover ?? profile.storages.read, write, receive };
  const select = () => exec(`AT+CPMS="${storages.read}","${write}","${receive}"`);
  let r = await select();
  if (r.final.kind !== "ok" && leftover) {
    storages = { ...profile.storages };
    r = await select();
  }
  if (r.final.kind !== "ok") {
    log.warn({ storages }, "storage selection refused; falling back to SIM storage");
    storages = { read: "SM", write: "SM", receive: "SM" };
    r = await expectOk(exec, 'AT+CPMS="SM","SM","SM"');
  }
  const fill = firstParsed(r.lines, parseCpms);
  let chosen: SmsSetup["cnmi"] | null = null;
  for (const c of cnmiCandidates(profile, cnmaActive)) {
    if ((await exec(c.command)).final.kind === "ok") {
      chosen = c;
      break;
    }
  }
  if (!chosen) throw new Error("the modem accepted no AT+CNMI setting");
  const csca = await optional(exec, "AT+CSCA?");
  const smsc = csca ? (firstParsed(csca, parseCsca)?.address ?? null) : null;
  const receiveFill = fill?.[2] ?? fill?.[0];
  return {
    storages,
    readStorage: storages.read,
    cnmaActive,
    cnmi: chosen,
    smsc,
    storageFill: receiveFill ? { used: receiveFill.used, total: receiveFill.total } : null,
  };
}
